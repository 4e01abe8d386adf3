package ablak.signaling.store;

import ablak.signaling.config.StoreSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * The Redis and PostgreSQL a node uses: the ones named in the settings, or embedded ones it
 * starts (and stops on {@link #close()}) when none are named.
 */
public final class Stores implements AutoCloseable {

  private final String redisUrl;
  private final DatabaseLocation database;
  private final RedisServer embeddedRedis;
  private final EmbeddedPostgres embeddedPostgres;

  private Stores(String redisUrl, DatabaseLocation database, RedisServer embeddedRedis, EmbeddedPostgres embeddedPostgres) {
    this.redisUrl = redisUrl;
    this.database = database;
    this.embeddedRedis = embeddedRedis;
    this.embeddedPostgres = embeddedPostgres;
  }

  /** Blocks while embedded stores start; call it before the event loops have work. */
  public static Stores open(StoreSettings settings) {
    Path dataDir = Path.of(settings.dataDir());
    DatabaseLocation database = settings.embeddedDatabase() ? null : DatabaseLocation.parse(settings.databaseUrl());
    RedisServer redis = null;
    EmbeddedPostgres postgres = null;
    try {
      String redisUrl = settings.redisUrl();
      if (settings.embeddedRedis()) {
        redis = EmbeddedStores.startRedis(dataDir);
        redisUrl = "redis://127.0.0.1:" + EmbeddedStores.port(redis);
      }
      if (database == null) {
        postgres = EmbeddedStores.startPostgres(dataDir);
        database = new DatabaseLocation("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
      }
      return new Stores(redisUrl, database, redis, postgres);
    } catch (RuntimeException e) {
      new Stores(null, null, redis, postgres).close();
      throw e;
    }
  }

  /** Only the database, for the command line tools; starts the embedded one if none is named. */
  public static Stores openDatabase(StoreSettings settings) {
    if (!settings.embeddedDatabase()) {
      return new Stores(null, DatabaseLocation.parse(settings.databaseUrl()), null, null);
    }
    EmbeddedPostgres postgres = EmbeddedStores.startPostgres(Path.of(settings.dataDir()));
    return new Stores(null, new DatabaseLocation("127.0.0.1", postgres.getPort(), "postgres", "postgres", ""), null, postgres);
  }

  public String redisUrl() {
    return redisUrl;
  }

  public DatabaseLocation database() {
    return database;
  }

  public boolean embedded() {
    return embeddedRedis != null || embeddedPostgres != null;
  }

  @Override
  public void close() {
    try {
      if (embeddedRedis != null) {
        embeddedRedis.stop();
      }
      if (embeddedPostgres != null) {
        embeddedPostgres.close();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not stop the embedded stores", e);
    }
  }
}
