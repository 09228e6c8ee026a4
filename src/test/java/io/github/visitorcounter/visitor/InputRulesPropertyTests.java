package io.github.visitorcounter.visitor;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the rule that decides which visitor ids get in: every well-formed id
 * passes, anything with one bad character or a bad length does not.
 */
class InputRulesPropertyTests {

	@Property
	void acceptsEveryWellFormedVisitorId(@ForAll("visitorIds") String visitorId) {
		assertThat(new VisitRequest(visitorId).visitorIdError()).isNull();
	}

	@Property
	void refusesAVisitorIdWithAnyCharacterOutsideTheAlphabet(@ForAll("visitorIds") String visitorId,
			@ForAll("foreignCharacters") char foreign, @ForAll int position) {
		int at = Math.floorMod(position, visitorId.length());
		String tampered = visitorId.substring(0, at) + foreign + visitorId.substring(at + 1);
		assertThat(new VisitRequest(tampered).visitorIdError()).isNotNull();
	}

	@Property
	void refusesAVisitorIdOfTheWrongLength(
			@ForAll @StringLength(max = 15) @CharRange(from = 'a', to = 'z') String tooShort,
			@ForAll @StringLength(min = 129, max = 400) @CharRange(from = 'a', to = 'z') String tooLong) {
		assertThat(new VisitRequest(tooShort).visitorIdError()).isNotNull();
		assertThat(new VisitRequest(tooLong).visitorIdError()).isNotNull();
	}

	@Provide
	Arbitrary<String> visitorIds() {
		return Arbitraries.strings()
			.withCharRange('a', 'z')
			.withCharRange('A', 'Z')
			.withCharRange('0', '9')
			.withChars('_', '-')
			.ofMinLength(16)
			.ofMaxLength(128);
	}

	@Provide
	Arbitrary<Character> foreignCharacters() {
		return Arbitraries.chars()
			.all()
			.filter((c) -> !(Character.isLetterOrDigit(c) && c < 128) && c != '_' && c != '-');
	}

}
