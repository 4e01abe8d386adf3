package ablak.signaling.identification;

import ablak.cases.Cases;
import ablak.cases.access.Principal;
import ablak.cases.catalogue.CaseType;
import ablak.identification.Identifications;
import ablak.signaling.ClientError;
import ablak.signaling.cases.SubmissionCheck;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * A case of a type that needs video identification is submitted only once the citizen has been
 * identified: a VERIFIED identification of that case exists. Kept here, between the two modules, so
 * that the cases module knows nothing of identification.
 */
public final class IdentificationRequired implements SubmissionCheck {

  public static final String CODE = "identification_required";

  private final Cases cases;
  private final Identifications identifications;

  public IdentificationRequired(Cases cases, Identifications identifications) {
    this.cases = cases;
    this.identifications = identifications;
  }

  @Override
  public Future<Void> check(Principal clerk, UUID caseId, String reason) {
    // Reading the case as the clerk also refuses a case they may not submit, with the cases module's own error.
    return cases.cases().get(clerk, caseId, reason).compose(view -> {
      CaseType type = cases.catalogue().caseTypes().get(view.caseType());
      if (type == null || !type.videoIdentification()) {
        return Future.succeededFuture();
      }
      return identifications.service().isVerified(caseId).compose(verified -> verified ? Future.<Void>succeededFuture()
          : Future.failedFuture(new ClientError(CODE, 409, "case type " + view.caseType()
              + " needs a verified video identification of the citizen before it is submitted")));
    });
  }
}
