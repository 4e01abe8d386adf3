package ablak.identification;

/**
 * What the case says about the person to identify, read by the server from the case the clerk
 * handles when the identification starts. The MRZ and the printed data are compared with it.
 */
public record CaseFacts(String caseType, String familyName, String givenNames) {}
