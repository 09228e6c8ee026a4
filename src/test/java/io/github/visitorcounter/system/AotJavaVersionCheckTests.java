package io.github.visitorcounter.system;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class AotJavaVersionCheckTests {

	@Test
	void startsOnTheJavaThatGeneratedTheCode() {
		assertThatNoException().isThrownBy(() -> AotJavaVersionCheck.check("25", 25));
		assertThatNoException().isThrownBy(() -> AotJavaVersionCheck.check("17", 17));
	}

	@Test
	void startsWhenTheBuildDidNotRecordIt() {
		assertThatNoException().isThrownBy(() -> AotJavaVersionCheck.check(null, 25));
	}

	@Test
	void refusesCodeGeneratedOnAnotherJavaWithAClearMessage() {
		assertThatIllegalStateException().isThrownBy(() -> AotJavaVersionCheck.check("17", 25))
			.withMessageContaining("generated on Java 17 but runs on Java 25")
			.withMessageContaining("rebuild the jar with Java 25");
		assertThatIllegalStateException().isThrownBy(() -> AotJavaVersionCheck.check("25", 17));
	}

}
