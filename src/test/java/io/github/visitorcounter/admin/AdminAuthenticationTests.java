package io.github.visitorcounter.admin;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAuthenticationTests {

	@Property
	void readsTheTokenOfABearerHeaderInAnyCase(@ForAll("tokens") String token,
			@ForAll("bearerSpellings") String scheme) {
		assertThat(AdminAuthentication.bearerToken(scheme + " " + token)).isEqualTo(token);
	}

	@Property
	void findsNoTokenInOtherSchemes(@ForAll @StringLength(max = 40) @CharRange(from = ' ', to = '~') String header) {
		if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			assertThat(AdminAuthentication.bearerToken(header)).isEmpty();
		}
	}

	@Test
	void findsNoTokenWithoutAHeader() {
		assertThat(AdminAuthentication.bearerToken(null)).isEmpty();
		assertThat(AdminAuthentication.bearerToken("Bearer")).isEmpty();
		assertThat(AdminAuthentication.bearerToken("Basic dXNlcjpwYXNz")).isEmpty();
	}

	@Provide
	Arbitrary<String> tokens() {
		return Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(64);
	}

	@Provide
	Arbitrary<String> bearerSpellings() {
		return Arbitraries.of("Bearer", "bearer", "BEARER", "bEaReR");
	}

}
