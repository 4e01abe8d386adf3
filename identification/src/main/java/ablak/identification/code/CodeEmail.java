package ablak.identification.code;

import ablak.mail.Email;

/** The e-mail that carries the one-time code, in the citizen's language (Hungarian or English). */
public final class CodeEmail {

  private CodeEmail() {}

  public static Email of(String recipient, String language, String code, long minutesValid) {
    boolean hungarian = "hu".equals(language);
    return Email.text(recipient,
        hungarian ? "Ablak: azonosító kód" : "Ablak: identification code",
        hungarian
            ? "Az ügyintéző kérésére írja be ezt a kódot a videóhívás képernyőjén: " + code
                + "\n\nA kód " + minutesValid + " percig érvényes. Ha nem Ön kezdeményezte, ne adja meg senkinek."
            : "Enter this code on your video call screen when the clerk asks: " + code
                + "\n\nThe code is valid for " + minutesValid + " minutes. If you did not start this, do not give it to anyone.");
  }
}
