package ablak.cases;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the cases module can be configured with. {@link #defaults()} runs one node against the
 * bundled catalogue and a reference back office on loopback. Durations are written in ISO-8601
 * ({@code PT30S}) in configuration files and environment variables.
 *
 * @param catalogueDirectory     directory holding {@code catalogue.json}, {@code texts/} and {@code forms/};
 *                               {@code null} loads the catalogue bundled on the classpath (default)
 * @param backOfficeBaseUrl      base URL a destination's submissions are posted to when it has no override:
 *                               {@code <base>/destinations/<destination>/submissions} (default http://127.0.0.1:8091)
 * @param backOfficeUrls         per-destination submission URLs that replace the base-URL rule (default none)
 * @param poolSize               PostgreSQL connections of this module's pool (default 8)
 * @param poolWaitQueueSize      requests that may wait for one of those connections; one more is refused at once
 *                               ({@link ConnectionPools#isBusy}) instead of queueing (default 1000; 0: none waits)
 * @param poolConnectionTimeout  longest wait for a connection before the request is refused, kept below the 10 s
 *                               clients wait for an answer, so that a backlog is shed rather than worked off for
 *                               requests nobody waits for any more (default 5 s)
 * @param nodeId                 names this node's relay in the audit trail and logs ({@code null}, the default:
 *                               a random id at each start)
 * @param caseNumberPrefix       first part of every case number, e.g. ABL-2026-0000042 (default "ABL")
 * @param relayEnabled           whether this node runs an outbox relay (default true; any number of nodes may)
 * @param relayPollInterval      how often an idle relay looks for due outbox rows (default 500 ms)
 * @param relayBatchSize         outbox rows one relay claims at once (default 16)
 * @param relayLease             how long a claimed row stays invisible to other relays; a relay that dies
 *                               mid-send loses its claim after this long (default 30 s)
 * @param deliveryTimeout        a back office that has not answered by then counts as down (default 10 s)
 * @param retryInitialBackoff    wait before the first retry; doubles per attempt (default 1 s)
 * @param retryMaxBackoff        cap on the wait between retries (default 5 min)
 * @param maxDeliveryAttempts    attempts before a submission goes to the dead letter (default 12, about 20 min)
 * @param auditChainInterval     how often this node's chainer links committed audit events into the hash chain
 *                               when no local append woke it (default 500 ms)
 * @param auditChainBatchSize    audit events linked in one pass, under one hold of the chain head (default 500)
 */
public record CasesSettings(
        Path catalogueDirectory,
        URI backOfficeBaseUrl,
        Map<String, URI> backOfficeUrls,
        int poolSize,
        int poolWaitQueueSize,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration poolConnectionTimeout,
        String nodeId,
        String caseNumberPrefix,
        boolean relayEnabled,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration relayPollInterval,
        int relayBatchSize,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration relayLease,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration deliveryTimeout,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration retryInitialBackoff,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration retryMaxBackoff,
        int maxDeliveryAttempts,
        @JsonSerialize(using = ToStringSerializer.class) @JsonDeserialize(using = IsoDurationDeserializer.class)
        Duration auditChainInterval,
        int auditChainBatchSize) {

    public CasesSettings {
        Objects.requireNonNull(backOfficeBaseUrl, "backOfficeBaseUrl");
        backOfficeUrls = Map.copyOf(backOfficeUrls);
        Objects.requireNonNull(caseNumberPrefix, "caseNumberPrefix");
        if (poolSize < 1 || relayBatchSize < 1 || maxDeliveryAttempts < 1 || auditChainBatchSize < 1) {
            throw new IllegalArgumentException(
                    "poolSize, relayBatchSize, maxDeliveryAttempts and auditChainBatchSize must be positive");
        }
        if (poolWaitQueueSize < 0) {
            throw new IllegalArgumentException("poolWaitQueueSize must not be negative");
        }
        if (poolConnectionTimeout.isNegative() || poolConnectionTimeout.isZero()) {
            throw new IllegalArgumentException("poolConnectionTimeout must be positive");
        }
        if (auditChainInterval.isNegative() || auditChainInterval.isZero()) {
            throw new IllegalArgumentException("auditChainInterval must be positive");
        }
        // A lease shorter than a delivery would let a second relay send while the first still waits.
        if (relayLease.compareTo(deliveryTimeout.plusSeconds(1)) < 0) {
            throw new IllegalArgumentException("relayLease must exceed deliveryTimeout by at least a second");
        }
        if (retryMaxBackoff.compareTo(retryInitialBackoff) < 0) {
            throw new IllegalArgumentException("retryMaxBackoff must not be below retryInitialBackoff");
        }
    }

    public static CasesSettings defaults() {
        return new CasesSettings(null, URI.create("http://127.0.0.1:8091"), Map.of(), 8, 1000, Duration.ofSeconds(5),
                null, "ABL",
                true, Duration.ofMillis(500), 16, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofMinutes(5), 12, Duration.ofMillis(500), 500);
    }

    /** The URL submissions for {@code destination} are posted to. */
    public URI submissionUrl(String destination) {
        URI override = backOfficeUrls.get(destination);
        return override != null ? override
                : URI.create(backOfficeBaseUrl.toString().replaceAll("/+$", "") + "/destinations/" + destination + "/submissions");
    }

    public CasesSettings withCatalogueDirectory(Path directory) {
        return new CasesSettings(directory, backOfficeBaseUrl, backOfficeUrls, poolSize, poolWaitQueueSize,
                poolConnectionTimeout, nodeId, caseNumberPrefix,
                relayEnabled, relayPollInterval, relayBatchSize, relayLease, deliveryTimeout, retryInitialBackoff, retryMaxBackoff,
                maxDeliveryAttempts, auditChainInterval, auditChainBatchSize);
    }

    public CasesSettings withBackOfficeBaseUrl(URI url) {
        return new CasesSettings(catalogueDirectory, url, backOfficeUrls, poolSize, poolWaitQueueSize,
                poolConnectionTimeout, nodeId, caseNumberPrefix,
                relayEnabled, relayPollInterval, relayBatchSize, relayLease, deliveryTimeout, retryInitialBackoff, retryMaxBackoff,
                maxDeliveryAttempts, auditChainInterval, auditChainBatchSize);
    }

    public CasesSettings withRelayEnabled(boolean enabled) {
        return new CasesSettings(catalogueDirectory, backOfficeBaseUrl, backOfficeUrls, poolSize, poolWaitQueueSize,
                poolConnectionTimeout, nodeId, caseNumberPrefix,
                enabled, relayPollInterval, relayBatchSize, relayLease, deliveryTimeout, retryInitialBackoff,
                retryMaxBackoff, maxDeliveryAttempts, auditChainInterval, auditChainBatchSize);
    }

    public CasesSettings withDelivery(Duration pollInterval, Duration lease, Duration timeout,
                                      Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
        return new CasesSettings(catalogueDirectory, backOfficeBaseUrl, backOfficeUrls, poolSize, poolWaitQueueSize,
                poolConnectionTimeout, nodeId, caseNumberPrefix,
                relayEnabled, pollInterval, relayBatchSize, lease, timeout, initialBackoff, maxBackoff, maxAttempts,
                auditChainInterval, auditChainBatchSize);
    }

    public CasesSettings withPool(int size, int waitQueueSize, Duration connectionTimeout) {
        return new CasesSettings(catalogueDirectory, backOfficeBaseUrl, backOfficeUrls, size, waitQueueSize, connectionTimeout,
                nodeId, caseNumberPrefix, relayEnabled, relayPollInterval, relayBatchSize, relayLease, deliveryTimeout,
                retryInitialBackoff, retryMaxBackoff, maxDeliveryAttempts, auditChainInterval, auditChainBatchSize);
    }
}
