package ablak.signaling.config;

/**
 * Where shared state lives.
 *
 * @param redisUrl e.g. {@code redis://host:6379}; empty starts an embedded Redis on a free port
 * @param databaseUrl e.g. {@code postgresql://user:pass@host:5432/db}; empty starts an embedded
 *     PostgreSQL on a free port
 * @param dataDir where embedded stores and the generated certificate keep their files
 * @param redisKeyPrefix prepended to every Redis key this node writes, so deployments (and test
 *     runs) can share one Redis
 * @param databasePoolSize connections in the PostgreSQL pool of this node
 */
public record StoreSettings(
    String redisUrl,
    String databaseUrl,
    String dataDir,
    String redisKeyPrefix,
    int databasePoolSize) {

  public static StoreSettings defaults() {
    return new StoreSettings(null, null, "data", "ablak:", 8);
  }

  public boolean embeddedRedis() {
    return redisUrl == null || redisUrl.isBlank();
  }

  public boolean embeddedDatabase() {
    return databaseUrl == null || databaseUrl.isBlank();
  }
}
