package clinic.conformance.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcUrlsTest {
    @Test
    void jdbcUrlsPassThrough() {
        assertThat(JdbcUrls.toJdbc("jdbc:postgresql://h:5432/db?user=u")).isEqualTo("jdbc:postgresql://h:5432/db?user=u");
    }

    @Test
    void supabaseStyleUrlsBecomeJdbcWithEncodedCredentials() {
        assertThat(JdbcUrls.toJdbc("postgresql://postgres:p%40ss@db.example.co:6543/postgres?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.example.co:6543/postgres?sslmode=require&user=postgres&password=p%40ss");
    }

    @Test
    void otherSchemesAreRefused() {
        assertThatThrownBy(() -> JdbcUrls.toJdbc("mysql://h/db")).isInstanceOf(IllegalArgumentException.class);
    }
}
