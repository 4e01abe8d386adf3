package ablak.cases.catalogue;

import ablak.cases.form.FormDefinition;

import java.util.List;
import java.util.Map;

/**
 * A kind of case a clerk can handle: a public service in CPSV-AP terms (cpsv:PublicService).
 *
 * @param id                     stable id used everywhere (URLs, queue routing, stored cases)
 * @param identifier             the service's register identifier (dct:identifier)
 * @param hasInput               documents the citizen shows (cpsv:hasInput -> cv:Evidence)
 * @param produces               documents the case results in (cpsv:produces -> cv:Output)
 * @param requires               case types that must be done first (cpsv:requires)
 * @param hasChannel             channels it is offered on (cv:hasChannel), e.g. video-call, office
 * @param videoIdentification    whether the clerk must run video identification before submitting
 * @param skills                 queue skills a clerk needs to take the call
 * @param languages              languages clerks serve it in
 * @param typicalHandlingMinutes what a clerk typically spends (cv:processingTime), for wait estimates
 * @param backOffice             destination id of the back-office system that receives the case
 * @param currentFormVersion     the form version new cases are filled against
 * @param forms                  every form version still accepted, by version
 */
public record CaseType(String id, String identifier, List<String> hasInput, List<String> produces,
                       List<String> requires, List<String> hasChannel, boolean videoIdentification,
                       List<String> skills, List<String> languages, int typicalHandlingMinutes,
                       String backOffice, int currentFormVersion, Map<Integer, FormDefinition> forms) {
    public CaseType {
        hasInput = List.copyOf(hasInput);
        produces = List.copyOf(produces);
        requires = List.copyOf(requires);
        hasChannel = List.copyOf(hasChannel);
        skills = List.copyOf(skills);
        languages = List.copyOf(languages);
        forms = Map.copyOf(forms);
    }

    public FormDefinition currentForm() {
        return forms.get(currentFormVersion);
    }
}
