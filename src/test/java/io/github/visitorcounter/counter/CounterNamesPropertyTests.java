package io.github.visitorcounter.counter;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the rule that decides which counter names get in: every well-formed name
 * passes; one bad character, a bad start or a reserved path segment does not.
 */
class CounterNamesPropertyTests {

	@Property
	void acceptsEveryWellFormedCounterName(@ForAll("counterNames") String name) {
		assertThat(CounterNames.isValid(name)).isTrue();
	}

	@Property
	void refusesCounterNamesThatCouldEscapeTheirRedisKeyOrPath(@ForAll("counterNames") String name,
			@ForAll("keyBreakers") char foreign, @ForAll int position) {
		int at = Math.floorMod(position, name.length() + 1);
		String tampered = name.substring(0, at) + foreign + name.substring(at);
		assertThat(CounterNames.isValid(tampered)).isFalse();
	}

	@Property
	void refusesCounterNamesStartingWithPunctuation(@ForAll("counterNames") String name,
			@ForAll("punctuation") char first) {
		assertThat(CounterNames.isValid(first + name)).isFalse();
	}

	@Property
	void refusesEveryReservedPathSegment(@ForAll("reserved") String name) {
		assertThat(CounterNames.isValid(name)).isFalse();
	}

	@Property
	void acceptsNamesThatOnlyStartOrEndLikeAReservedSegment(@ForAll("reserved") String reserved,
			@ForAll("counterNames") String name) {
		String shortName = name.substring(0, Math.min(name.length(), 50));
		assertThat(CounterNames.isValid(reserved + shortName)).isTrue();
		assertThat(CounterNames.isValid(shortName + reserved)).isTrue();
	}

	@Provide
	Arbitrary<String> reserved() {
		return Arbitraries.of(CounterNames.RESERVED);
	}

	@Provide
	Arbitrary<Character> keyBreakers() {
		return Arbitraries.of('{', '}', ':', '*', '/', '\\', ' ', '\r', '\n', '\u0000', 'A', 'Z', '%', '?', '#', 'é');
	}

	@Provide
	Arbitrary<Character> punctuation() {
		return Arbitraries.of('.', '_', '-');
	}

	@Provide
	Arbitrary<String> counterNames() {
		Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('0', '9');
		Arbitrary<String> rest = Arbitraries.strings()
			.withCharRange('a', 'z')
			.withCharRange('0', '9')
			.withChars('.', '_', '-')
			.ofMaxLength(63);
		return Combinators.combine(first, rest)
			.as((head, tail) -> head + tail)
			.filter((name) -> !CounterNames.RESERVED.contains(name));
	}

}
