package ablak.identification.mrz;

/**
 * What a valid machine readable zone says, in its own alphabet (upper case A-Z, digits; names with
 * their fillers turned into single spaces). Dates stay as the MRZ writes them, YYMMDD.
 */
public record MrzData(MrzFormat format, String documentCode, String issuingState, String documentNumber,
    String nationality, String birthDate, String sex, String expiryDate, String familyName, String givenNames) {}
