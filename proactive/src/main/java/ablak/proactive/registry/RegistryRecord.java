package ablak.proactive.registry;

import java.time.LocalDate;

/** One citizen's current document as the registry knows it. */
public record RegistryRecord(
    String citizenId,
    String name,
    LocalDate birthDate,
    String email,
    DocumentType documentType,
    String documentNumber,
    LocalDate expiryDate) {}
