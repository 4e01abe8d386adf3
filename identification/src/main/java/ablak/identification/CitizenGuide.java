package ablak.identification;

import ablak.identification.checklist.Step;
import java.util.UUID;

/**
 * What the citizen's screen shows: the step being done and, only while it is the tilt step, the
 * movement asked for. Nothing of the evidence.
 */
public record CitizenGuide(UUID id, String status, Step nextStep, int attempt, String tilt, boolean codeSent,
    int codeAttemptsLeft, String failureReason) {}
