package dev.eventstore;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpectedVersionTest {

    @Test
    void exactZeroIsNoStream() {
        assertThat(ExpectedVersion.exact(0)).isSameAs(ExpectedVersion.noStream());
        assertThat(ExpectedVersion.exact(0).isNoStream()).isTrue();
    }

    @Test
    void acceptsTellsWhetherAnActualVersionSatisfiesTheExpectation() {
        assertThat(ExpectedVersion.any().accepts(0)).isTrue();
        assertThat(ExpectedVersion.any().accepts(17)).isTrue();
        assertThat(ExpectedVersion.noStream().accepts(0)).isTrue();
        assertThat(ExpectedVersion.noStream().accepts(1)).isFalse();
        assertThat(ExpectedVersion.exact(3).accepts(3)).isTrue();
        assertThat(ExpectedVersion.exact(3).accepts(2)).isFalse();
    }

    @Test
    void negativeVersionsAreRejected() {
        assertThatThrownBy(() -> ExpectedVersion.exact(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expectedVersion must be >= 0").hasMessageContaining("any()");
    }

    @Test
    void anyHasNoVersion() {
        assertThat(ExpectedVersion.any().isAny()).isTrue();
        assertThatThrownBy(() -> ExpectedVersion.any().version()).isInstanceOf(IllegalStateException.class);
        assertThat(ExpectedVersion.exact(5).version()).isEqualTo(5);
    }

    @Test
    void valuesCompareAndPrintByMeaning() {
        assertThat(ExpectedVersion.exact(4)).isEqualTo(ExpectedVersion.exact(4)).isNotEqualTo(ExpectedVersion.exact(5));
        assertThat(ExpectedVersion.any()).hasToString("any()");
        assertThat(ExpectedVersion.noStream()).hasToString("noStream()");
        assertThat(ExpectedVersion.exact(4)).hasToString("exact(4)");
    }

    @Test
    void serialisationKeepsTheSingletons() throws Exception {
        assertThat(roundTrip(ExpectedVersion.any())).isSameAs(ExpectedVersion.any());
        assertThat(roundTrip(ExpectedVersion.noStream())).isSameAs(ExpectedVersion.noStream());
        assertThat(roundTrip(ExpectedVersion.exact(9))).isEqualTo(ExpectedVersion.exact(9));
    }

    private static Object roundTrip(ExpectedVersion value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
