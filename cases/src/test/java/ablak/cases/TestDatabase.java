package ablak.cases;

import io.vertx.pgclient.PgConnectOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;

/**
 * A fresh database with the cases schema migrated, on a real PostgreSQL 16 listening on a free
 * loopback port. Most tests share one server per test JVM and get their own database on it; a
 * test that restarts PostgreSQL gets a server of its own, which keeps its data directory across
 * {@link #stopServer()} and {@link #startServer()}.
 */
public final class TestDatabase implements AutoCloseable {

    private static Server shared;

    private final Server server;
    private final boolean ownServer;
    private final String name = "t_" + UUID.randomUUID().toString().replace("-", "");

    private TestDatabase(Server server, boolean ownServer, String version) {
        this.server = server;
        this.ownServer = ownServer;
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "")) {
            admin.createStatement().execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        CasesMigrations.configure(jdbcUrl(), "postgres", "").target(version).load().migrate();
    }

    public static TestDatabase onSharedServer() {
        return onSharedServerAt("latest");
    }

    /** A database with the schema as migration {@code version} left it, to test the migrations after it. */
    public static synchronized TestDatabase onSharedServerAt(String version) {
        if (shared == null) {
            shared = Server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::destroy));
        }
        return new TestDatabase(shared, false, version);
    }

    /** Runs the migrations not applied yet, as a node's start does. */
    public void migrate() {
        CasesMigrations.migrate(jdbcUrl(), "postgres", "");
    }

    public static TestDatabase onOwnServer() {
        return new TestDatabase(Server.start(), true, "latest");
    }

    public void stopServer() {
        requireOwnServer();
        server.stop();
    }

    public void startServer() {
        requireOwnServer();
        server.run();
    }

    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    public PgConnectOptions connectOptions() {
        return new PgConnectOptions().setHost("127.0.0.1").setPort(server.port).setDatabase(name).setUser("postgres");
    }

    @Override
    public void close() {
        if (ownServer) {
            server.destroy();
        } else {
            try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", "")) {
                admin.createStatement().execute("drop database if exists " + name + " with (force)");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void requireOwnServer() {
        if (!ownServer) {
            throw new IllegalStateException("only a test with its own server may stop or start it");
        }
    }

    private static final class Server {
        private final Path dataDirectory;
        private final int port;
        private EmbeddedPostgres postgres;

        private Server(Path dataDirectory, int port) {
            this.dataDirectory = dataDirectory;
            this.port = port;
        }

        static Server start() {
            try {
                int port;
                try (ServerSocket socket = new ServerSocket(0)) {
                    port = socket.getLocalPort();
                }
                Server server = new Server(Files.createTempDirectory("ablak-cases-pg"), port);
                server.run();
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void run() {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setPort(port)
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void stop() {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void destroy() {
            stop();
            // Best effort: PostgreSQL may still be removing its own files as the test JVM exits.
            try (var files = Files.walk(dataDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                System.err.println("could not remove " + dataDirectory + ": " + e);
            }
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }
    }
}
