package ablak.cases.form;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;

/**
 * JSON Schema {@code format} values for Hungarian identifiers, so a form can ask for a
 * check-digit-valid identifier and not merely the right number of digits.
 */
public final class HungarianIdentifierFormats {

    private HungarianIdentifierFormats() {
    }

    public static List<Format> all() {
        return List.of(new PersonalId(), new TaxId());
    }

    /**
     * Személyi azonosító (personal identifier), 11 digits: sex and century, YYMMDD, a serial number,
     * and a check digit (Act LXVI of 1992 and its implementing decree). For people born before
     * 1997 the first ten digits are weighted 1..10, from 1997 on 10..1; the sum modulo 11 is the
     * check digit, and a remainder of 10 is never issued.
     */
    static final class PersonalId implements Format {
        @Override
        public String getName() {
            return "hu-personal-id";
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            if (value == null || !value.matches("[1-8][0-9]{10}")) {
                return false;
            }
            int first = value.charAt(0) - '0';
            int century = switch (first) {
                case 3, 4 -> 1800;
                case 5, 6 -> 2000;
                default -> 1900; // 1, 2: citizens born 1900-1999; 7, 8: foreign nationals
            };
            LocalDate born;
            try {
                born = LocalDate.of(century + Integer.parseInt(value.substring(1, 3)),
                        Integer.parseInt(value.substring(3, 5)), Integer.parseInt(value.substring(5, 7)));
            } catch (DateTimeException e) {
                return false;
            }
            boolean newRule = !born.isBefore(LocalDate.of(1997, 1, 1));
            int sum = 0;
            for (int i = 0; i < 10; i++) {
                int weight = newRule ? 10 - i : i + 1;
                sum += (value.charAt(i) - '0') * weight;
            }
            int check = sum % 11;
            return check != 10 && check == value.charAt(10) - '0';
        }
    }

    /**
     * Adóazonosító jel (tax identifier), 10 digits starting with 8; the tenth digit is the sum of
     * the first nine weighted 1..9, modulo 11 (a remainder of 10 is never issued).
     */
    static final class TaxId implements Format {
        @Override
        public String getName() {
            return "hu-tax-id";
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            if (value == null || !value.matches("8[0-9]{9}")) {
                return false;
            }
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (value.charAt(i) - '0') * (i + 1);
            }
            int check = sum % 11;
            return check != 10 && check == value.charAt(9) - '0';
        }
    }
}
