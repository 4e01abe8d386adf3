package ablak.proactive.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ablak.proactive.Await;
import ablak.proactive.Node;
import ablak.proactive.ProactiveError;
import ablak.proactive.TestClock;
import ablak.proactive.TestDatabase;
import java.time.LocalDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegistryImportTest {

  private static final String HEADER = "citizen_id,name,birth_date,email,document_type,document_number,expiry_date\n";
  private static final String TWO_ROWS = HEADER
      + "C1,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15\n"
      + "C2,\"Nagy, Béla\",1975-11-30,bela@example.hu,passport,BA7654321,2027-12-20\n";

  private static TestDatabase database;
  private static TestClock clock;
  private static Node node;

  @BeforeAll
  static void start() {
    database = new TestDatabase();
    clock = new TestClock();
    node = new Node(database, Node.settings(), 25, clock, "node-a");
  }

  @AfterAll
  static void stop() {
    node.close();
    database.close();
  }

  @BeforeEach
  void clear() {
    database.clear();
    clock.set("2027-01-10T12:00");
  }

  @Test
  void badRowsAreReportedOneByOneAndTheGoodRowsAreStored() {
    ImportReport report = Await.result(registry().importCsv(HEADER
        + "C1,Kiss Anna,1980-03-04,anna@example.hu,identity_card,AB123456,2027-06-15\n"
        + "C2,Kiss Béla,1980-02-30,bela@example.hu,identity_card,AB123457,2027-06-15\n"
        + "C3,Kiss Cecil,1980-03-04,cecil@example.hu,library_card,AB123458,2027-06-15\n"
        + "C4,Kiss Dóra,1980-03-04,,identity_card,AB123459,2027-06-15\n"
        + "C5,Kiss Ede,1980-03-04,ede@example.hu,identity_card\n"
        + "C6,Kiss Feri,1980-03-04,feri@example.hu,driving_licence,DL000001,2028-01-01\n"));

    assertThat(report.rows()).isEqualTo(6);
    assertThat(report.added()).isEqualTo(2);
    assertThat(report.errors()).extracting(RowError::row, RowError::field).containsExactly(
        org.assertj.core.groups.Tuple.tuple(2, "birth_date"),
        org.assertj.core.groups.Tuple.tuple(3, "document_type"),
        org.assertj.core.groups.Tuple.tuple(4, "email"),
        org.assertj.core.groups.Tuple.tuple(5, "row"));
    assertThat(database.value("SELECT string_agg(citizen_id, ',' ORDER BY citizen_id) FROM proactive.document")).isEqualTo("C1,C6");
  }

  @Test
  void importingTheSameFileAgainChangesNothing() {
    Await.result(registry().importCsv(TWO_ROWS));
    String ledger = database.value("SELECT string_agg(id || stage, ',' ORDER BY id) FROM proactive.delivery");

    ImportReport again = Await.result(registry().importCsv(TWO_ROWS));

    assertThat(again.unchanged()).isEqualTo(2);
    assertThat(again.added() + again.renewed() + again.updated()).isZero();
    assertThat(database.value("SELECT string_agg(id || stage, ',' ORDER BY id) FROM proactive.delivery")).isEqualTo(ledger);
  }

  @Test
  void aRenewedDocumentReplacesTheOldOne() {
    Await.result(registry().importCsv(TWO_ROWS));

    ImportReport report = Await.result(registry().importJson("""
        [{"citizen_id": "C1", "name": "Kiss Anna", "birth_date": "1980-03-04", "email": "anna@example.hu",
          "document_type": "identity_card", "document_number": "CD555666", "expiry_date": "2033-04-20"}]"""));

    assertThat(report.renewed()).isEqualTo(1);
    RegistryRecord current = Await.result(registry().find("C1", DocumentType.IDENTITY_CARD)).orElseThrow();
    assertThat(current.documentNumber()).isEqualTo("CD555666");
    assertThat(current.expiryDate()).isEqualTo(LocalDate.parse("2033-04-20"));
    assertThat(database.count("document_number = 'CD555666'")).isEqualTo(3);
  }

  @Test
  void jsonRowsThatAreNotObjectsOrLackFieldsAreReported() {
    ImportReport report = Await.result(registry().importJson("""
        [42,
         {"citizen_id": "C1", "name": "Kiss Anna", "birth_date": "1980-03-04", "email": "anna@example.hu",
          "document_type": "passport", "document_number": "BA7654321", "expiry_date": 20271220},
         {"citizen_id": "C2", "name": "Kiss Béla", "birth_date": "1980-03-04", "email": "bela@example.hu",
          "document_type": "passport", "document_number": "BA7654322", "expiry_date": "2027-12-20"}]"""));

    assertThat(report.added()).isEqualTo(1);
    assertThat(report.errors()).extracting(RowError::field).containsExactly("row", "expiry_date");
  }

  @Test
  void anUnreadableFileIsRefusedWholeAndStoresNothing() {
    Throwable failure = Await.failure(registry().importCsv("name;email\nKiss Anna;anna@example.hu\n"));

    assertThat(failure).isInstanceOf(ProactiveError.class);
    assertThat(((ProactiveError) failure).code()).isEqualTo(ProactiveError.Code.INVALID_INPUT);
    assertThat(database.value("SELECT count(*) FROM proactive.document")).isEqualTo("0");
    assertThat(((ProactiveError) Await.failure(registry().importJson("{\"not\": \"an array\"}"))).code())
        .isEqualTo(ProactiveError.Code.INVALID_INPUT);
  }

  private DocumentRegistry registry() {
    return node.proactive.registry();
  }
}
