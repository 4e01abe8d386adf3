package ablak.identification.mrz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The specimens printed in ICAO Doc 9303 (Part 4 appendix A for TD3, Part 5 appendix A for TD1). */
class MrzTest {

  static final String TD3 = """
      P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
      L898902C36UTO7408122F1204159ZE184226B<<<<<10
      """;
  static final String TD1 = """
      I<UTOD231458907<<<<<<<<<<<<<<<
      7408122F1204159UTO<<<<<<<<<<<6
      ERIKSSON<<ANNA<MARIA<<<<<<<<<<
      """;

  @Test
  void checkDigitsOfTheDocExamples() {
    assertThat(Mrz.checkDigit("L898902C3")).isEqualTo(6);
    assertThat(Mrz.checkDigit("740812")).isEqualTo(2);
    assertThat(Mrz.checkDigit("120415")).isEqualTo(9);
    assertThat(Mrz.checkDigit("ZE184226B<<<<<")).isEqualTo(1);
    assertThat(Mrz.checkDigit("D23145890")).isEqualTo(7);
  }

  @Test
  void readsTheTd3Specimen() throws MrzException {
    MrzData data = Mrz.parse(TD3, MrzFormat.TD3);

    assertThat(data.documentNumber()).isEqualTo("L898902C3");
    assertThat(data.familyName()).isEqualTo("ERIKSSON");
    assertThat(data.givenNames()).isEqualTo("ANNA MARIA");
    assertThat(data.birthDate()).isEqualTo("740812");
    assertThat(data.expiryDate()).isEqualTo("120415");
    assertThat(data.issuingState()).isEqualTo("UTO");
    assertThat(data.sex()).isEqualTo("F");
  }

  @Test
  void readsTheTd1SpecimenTypedInLowerCase() throws MrzException {
    MrzData data = Mrz.parse(TD1.toLowerCase(), MrzFormat.TD1);

    assertThat(data.documentCode()).isEqualTo("I");
    assertThat(data.documentNumber()).isEqualTo("D23145890");
    assertThat(data.familyName()).isEqualTo("ERIKSSON");
    assertThat(data.givenNames()).isEqualTo("ANNA MARIA");
    assertThat(data.nationality()).isEqualTo("UTO");
  }

  @Test
  void aMistypedDateOfBirthFailsItsCheckDigitAndTheComposite() {
    String typo = TD3.replace("7408122F", "7408132F");

    assertThatThrownBy(() -> Mrz.parse(typo, MrzFormat.TD3))
        .isInstanceOfSatisfying(MrzException.class, e -> assertThat(e.problems())
            .containsExactly("date of birth check digit is 2, the field gives 3", "composite check digit is 0, the field gives 7"));
  }

  @Test
  void aMistypedTd1DocumentNumberIsCaught() {
    String typo = TD1.replace("D23145890", "D23145880");

    assertThatThrownBy(() -> Mrz.parse(typo, MrzFormat.TD1))
        .isInstanceOfSatisfying(MrzException.class, e -> assertThat(e.problems()).hasSize(2)
            .first().asString().startsWith("document number check digit"));
  }

  @Test
  void wrongShapeIsReportedBeforeCheckDigits() {
    assertThatThrownBy(() -> Mrz.parse(TD3, MrzFormat.TD1)).hasMessage("TD1 has 3 lines, not 2");
    assertThatThrownBy(() -> Mrz.parse(TD3.replace("P<UTO", "P<UT"), MrzFormat.TD3))
        .hasMessage("line 1 has 43 characters, TD3 needs 44");
    assertThatThrownBy(() -> Mrz.parse(TD3.replace("P<UTO", "P UTO"), MrzFormat.TD3))
        .hasMessage("line 1 may hold only A-Z, 0-9 and <");
  }
}
