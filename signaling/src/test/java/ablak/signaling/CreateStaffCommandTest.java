package ablak.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.signaling.auth.PasswordHasher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateStaffCommandTest {

  @TempDir
  Path dir;

  @Test
  void theCommandCreatesAnAccountAndPrintsAPasswordThatVerifies() throws Exception {
    try (MachineStores stores = new MachineStores()) {
      Path config = Files.writeString(dir.resolve("ablak.yaml"),
          "stores:\n  databaseUrl: postgresql://postgres@127.0.0.1:5432/" + stores.database + "\n");
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      PrintStream console = System.out;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        Main.main(new String[] {"create-staff", "--username", "eva", "--name", "Szabó Éva", "--role", "auditor", "--config", config.toString()});
      } finally {
        System.setOut(console);
      }

      String output = printed.toString(StandardCharsets.UTF_8);
      assertThat(output).contains("created auditor eva with password ");
      String password = output.substring(output.indexOf("with password ") + 14).trim();
      try (Connection connection = stores.jdbc();
          ResultSet row = connection.createStatement().executeQuery(
              "SELECT display_name, role, password_hash FROM accounts.staff WHERE username = 'eva'")) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString("display_name")).isEqualTo("Szabó Éva");
        assertThat(row.getString("role")).isEqualTo("auditor");
        assertThat(new PasswordHasher().verify(password, row.getString("password_hash"))).isTrue();
      }
    }
  }
}
