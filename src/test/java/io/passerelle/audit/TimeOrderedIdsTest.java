package io.passerelle.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.123Z");

    @Test
    void idsAreVersion7WithTheMillisecondInFront() {
        UUID id = UUID.fromString(new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC)).next());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2); // RFC 9562 variant (10xx)
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void idsOfOneMillisecondSortInTheOrderTheyWereMadeEvenPastTheCounter() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than the 4096 of one millisecond's counter
            made.add(ids.next());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aClockThatStepsBackNeverGivesASmallerId() {
        Instant[] now = {NOW};
        Clock stepping = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        TimeOrderedIds ids = new TimeOrderedIds(stepping);
        String before = ids.next();
        now[0] = NOW.minusSeconds(5);
        assertThat(ids.next()).isGreaterThan(before);
    }

    @Test
    void concurrentCallersGetDistinctIds() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.systemUTC());
        Set<String> seen = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 8).parallel().forEach(t -> {
            Set<String> mine = new HashSet<>();
            for (int i = 0; i < 5_000; i++) {
                mine.add(ids.next());
            }
            seen.addAll(mine);
        });
        assertThat(seen).hasSize(40_000);
    }
}
