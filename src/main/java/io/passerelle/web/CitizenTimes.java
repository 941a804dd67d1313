package io.passerelle.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.FormatStyle;
import java.time.format.TextStyle;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Times as a citizen reads them: in the citizen's language, in the time zone of the service
 * ({@code passerelle.web.time-zone}, Europe/Brussels by default), with the zone written out
 * ("6 déc. 2026, 21:40:00 CET"), so that nobody has to guess whether a time is UTC.
 */
@Component
public class CitizenTimes {

    private final ZoneId zone;

    public CitizenTimes(@Value("${passerelle.web.time-zone:Europe/Brussels}") String zone) {
        try {
            this.zone = ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException("passerelle.web.time-zone: '" + zone
                    + "' is not a time zone id (such as Europe/Brussels or UTC)", e);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public String format(Instant instant, Locale locale) {
        DateTimeFormatter formatter = new DateTimeFormatterBuilder()
                .appendLocalized(FormatStyle.MEDIUM, FormatStyle.MEDIUM)
                .appendLiteral(' ')
                .appendZoneText(TextStyle.SHORT)
                .toFormatter(locale)
                .withZone(zone);
        return formatter.format(instant);
    }
}
