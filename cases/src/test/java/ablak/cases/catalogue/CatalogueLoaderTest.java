package ablak.cases.catalogue;

import ablak.cases.CasesException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogueLoaderTest {

    private final Catalogue bundled = CatalogueLoader.bundled();

    @Test
    void bundledCatalogueOffersTheLifeEventsCitizensAskForMostInBothLanguages() {
        assertThat(bundled.languages()).containsExactly("hu", "en");
        assertThat(bundled.lifeEventOrder()).contains("moving-house", "id-card-lost-or-expiring", "passport-expiring",
                "driving-licence-expiring", "birth-of-a-child", "marriage-name-change", "vehicle-bought-or-sold");

        CatalogueView hungarian = bundled.view("hu");
        CatalogueView.LifeEventView moving = hungarian.lifeEvents().get(0);
        assertThat(moving.name()).isEqualTo("Költözés");
        CatalogueView.CaseTypeView registration = moving.caseTypes().get(0);
        assertThat(registration.name()).isEqualTo("Lakcímbejelentés");
        assertThat(registration.documentsToShow()).extracting(CatalogueView.DocumentView::name)
                .contains("Személyazonosító igazolvány", "Lakcímkártya");
        assertThat(registration.videoIdentification()).isFalse();
        assertThat(registration.skills()).containsExactly("registry");
        assertThat(registration.typicalHandlingMinutes()).isPositive();
        assertThat(registration.formVersion()).isEqualTo(2);
        assertThat(registration.requiredInputs()).contains("/applicant/personalId", "/newAddress/postcode", "/moveInDate");
        assertThat(registration.precallInputs()).contains("/applicant/personalId", "/newAddress/city");
    }

    @Test
    void oneCaseTypeServesSeveralLifeEvents() {
        CatalogueView english = bundled.view("en");
        CatalogueView.LifeEventView marriage = english.lifeEvents().stream()
                .filter(e -> e.id().equals("marriage-name-change")).findFirst().orElseThrow();
        assertThat(marriage.name()).isEqualTo("Change of name after marriage");
        assertThat(marriage.caseTypes()).extracting(CatalogueView.CaseTypeView::id)
                .containsExactly("name-change-after-marriage", "id-card-replacement", "driving-licence-renewal");
    }

    @Test
    void formViewCarriesSchemasLabelsAndTheMasksItUses() {
        CatalogueView.FormView form = bundled.formView("vehicle-ownership-change", 1, "hu");
        assertThat(form.texts().fields().get("/buyer/taxId").label()).isEqualTo("Adóazonosító jel");
        assertThat(form.inputMasks()).containsEntry("hu-personal-id", "9-999999-9999").containsKey("hu-tax-id");
        assertThat(form.schema().path("properties").has("vehicle")).isTrue();
    }

    @Test
    void unknownCaseTypeLanguageAndWithdrawnFormVersionAreTypedErrors() {
        assertThatThrownBy(() -> bundled.caseType("dog-licence"))
                .isInstanceOfSatisfying(CasesException.class, e -> assertThat(e.kind()).isEqualTo(CasesException.Kind.UNKNOWN_CASE_TYPE));
        assertThatThrownBy(() -> bundled.view("fr"))
                .isInstanceOfSatisfying(CasesException.class, e -> assertThat(e.kind()).isEqualTo(CasesException.Kind.UNKNOWN_LANGUAGE));
        assertThatThrownBy(() -> bundled.form("passport-renewal", 7))
                .isInstanceOfSatisfying(CasesException.class, e -> assertThat(e.kind()).isEqualTo(CasesException.Kind.FORM_VERSION_GONE));
    }

    @Test
    void addingALanguageIsAddingAFile() {
        CatalogueCopy copy = new CatalogueCopy();
        copy.edit("catalogue.json", c -> c.withArray("languages").add("de"));
        assertThatThrownBy(() -> CatalogueLoader.fromDirectory(copy.directory))
                .isInstanceOf(CatalogueException.class).hasMessageContaining("texts/de.json: file is missing");

        copy.write("texts/de.json", readBundled("texts/en.json"));
        assertThat(CatalogueLoader.fromDirectory(copy.directory).view("de").lifeEvents()).hasSize(7);
    }

    @Test
    void malformedJsonIsRefusedWithFileAndLine() {
        CatalogueCopy copy = new CatalogueCopy().write("forms/passport-renewal.v1.json", "{\n  \"schema\": {\n    \"type\": \"object\",,\n");
        assertThatThrownBy(() -> CatalogueLoader.fromDirectory(copy.directory))
                .isInstanceOf(CatalogueException.class)
                .hasMessageContaining("forms/passport-renewal.v1.json: not valid JSON at line 3");
    }

    @Test
    void everyProblemOfABrokenCatalogueIsListedAtOnce() {
        CatalogueCopy copy = new CatalogueCopy()
                .edit("catalogue.json", c -> {
                    c.withArray("lifeEvents").addObject().put("id", "retiring").putArray("caseTypes").add("pension-claim");
                    CatalogueCopy.caseType(c, "passport-renewal").putArray("hasInput").add("birth-certifikate");
                })
                .edit("forms/passport-renewal.v1.json", f -> {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) f.path("schema").path("properties").path("urgent")).put("type", "yes-or-no");
                    ((com.fasterxml.jackson.databind.node.ArrayNode) f.path("ui").path("groups").get(1).path("elements"))
                            .addObject().put("field", "/expressDelivery");
                })
                .edit("texts/en.json", t -> ((com.fasterxml.jackson.databind.node.ObjectNode) t.path("caseTypes")).remove("birth-registration"));

        assertThatThrownBy(() -> CatalogueLoader.fromDirectory(copy.directory))
                .isInstanceOfSatisfying(CatalogueException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                                assertThat(p).contains("life event 'retiring' refers to unknown case type 'pension-claim'"))
                        .anySatisfy(p -> assertThat(p).contains("refers to unknown document 'birth-certifikate'"))
                        .anySatisfy(p -> assertThat(p).contains("forms/passport-renewal.v1.json: /schema is not valid JSON Schema"))
                        .anySatisfy(p -> assertThat(p).contains("ui control '/expressDelivery' is not a property of /schema"))
                        .anySatisfy(p -> assertThat(p).contains("texts/en.json: case type 'birth-registration' has no name")));
    }

    @Test
    void aFormVersionNamedInTheCatalogueMustExist() {
        CatalogueCopy copy = new CatalogueCopy().edit("catalogue.json", c ->
                CatalogueCopy.caseType(c, "passport-renewal").putObject("form").put("current", 2).putArray("versions").add(1).add(2));
        assertThatThrownBy(() -> CatalogueLoader.fromDirectory(copy.directory))
                .hasMessageContaining("forms/passport-renewal.v2.json: file is missing");
    }

    private static String readBundled(String name) {
        try (var in = CatalogueLoaderTest.class.getClassLoader().getResourceAsStream("catalogue/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
