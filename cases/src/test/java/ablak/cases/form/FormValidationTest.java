package ablak.cases.form;

import ablak.cases.catalogue.Catalogue;
import ablak.cases.catalogue.CatalogueLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Catalogue catalogue = CatalogueLoader.bundled();
    private final FormDefinition addressForm = catalogue.form("address-registration", 2);

    @Test
    void personalIdentifierMustCarryAValidCheckDigit() {
        var format = new HungarianIdentifierFormats.PersonalId();
        assertThat(format.matches(null, "18503121232")).isTrue();   // born 1985, weights 1..10
        assertThat(format.matches(null, "18503121233")).isFalse();  // wrong check digit
        assertThat(format.matches(null, "18513121232")).isFalse();  // month 13
        assertThat(format.matches(null, "51001011233")).isFalse();
        assertThat(format.matches(null, "5100101123" + checkDigitFrom1997("5100101123"))).isTrue(); // born 2010, weights 10..1
    }

    @Test
    void taxIdentifierMustCarryAValidCheckDigit() {
        var format = new HungarianIdentifierFormats.TaxId();
        assertThat(format.matches(null, "8123456786")).isTrue();
        assertThat(format.matches(null, "8123456787")).isFalse();
        assertThat(format.matches(null, "7123456786")).isFalse();
    }

    @Test
    void everyErrorIsReportedWithItsFieldPathInTheUsersLanguage() throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree("""
                {"applicant": {"personalId": "12345678901", "familyName": "Kovács"},
                 "newAddress": {"postcode": "105", "city": "Budapest", "street": "Váci utca", "houseNumber": "12"},
                 "addressType": "permanent", "moveInDate": "2026-11-01", "ownsProperty": false}""");

        var hungarian = addressForm.validate(data, "hu", FormDefinition.Mode.COMPLETE);
        assertThat(hungarian).extracting(FieldError::path).containsExactly(
                "/applicant/givenNames", "/applicant/personalId", "/newAddress/postcode", "/ownerName");
        assertThat(hungarian).extracting(FieldError::message).contains(
                "Személyi azonosító: 11 számjegy, érvényes ellenőrző számmal (például 1-850312-1232).",
                "Irányítószám: négy számjegy, például 1052.",
                "A tulajdonos neve (szállásadó): bérlőként meg kell adni a szállásadó nevét.");

        var english = addressForm.validate(data, "en", FormDefinition.Mode.COMPLETE);
        assertThat(english).extracting(FieldError::message).contains("Postcode: four digits, for example 1052.");
    }

    @Test
    void aDraftMayLackAnswersButNotHoldWrongOnes() throws Exception {
        ObjectNode partial = (ObjectNode) JSON.readTree("{\"applicant\": {\"personalId\": \"18503121232\"}}");
        assertThat(addressForm.validate(partial, "en", FormDefinition.Mode.DRAFT)).isEmpty();

        ObjectNode wrong = (ObjectNode) JSON.readTree("{\"applicant\": {\"personalId\": \"18503121232\"}, \"shoeSize\": 42}");
        assertThat(addressForm.validate(wrong, "en", FormDefinition.Mode.DRAFT))
                .extracting(FieldError::keyword).containsExactly("additionalProperties");
    }

    @Test
    void summaryShowsVisibleAnswersInFormOrderWithLabelsAndOptionNames() throws Exception {
        ObjectNode data = (ObjectNode) JSON.readTree("""
                {"applicant": {"personalId": "18503121232", "familyName": "Kovács", "givenNames": "Éva"},
                 "newAddress": {"postcode": "1052", "city": "Budapest", "street": "Váci utca", "houseNumber": "12"},
                 "addressType": "temporary", "moveInDate": "2026-11-01", "ownsProperty": true, "ownerName": "Nagy Péter"}""");

        var lines = addressForm.summary(data, "hu");

        assertThat(lines.get(0).label()).isEqualTo("Személyi azonosító");
        assertThat(lines).extracting(SummaryLine::label, SummaryLine::value)
                .contains(org.assertj.core.groups.Tuple.tuple("Lakcím fajtája", "tartózkodási hely"),
                        org.assertj.core.groups.Tuple.tuple("Ön a lakás tulajdonosa?", "igen"));
        // The owner's name is asked only of tenants: hidden by the UI rule, so not in the summary.
        assertThat(lines).extracting(SummaryLine::field).doesNotContain("/ownerName");
    }

    private static int checkDigitFrom1997(String tenDigits) {
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += (tenDigits.charAt(i) - '0') * (10 - i);
        }
        return sum % 11;
    }
}
