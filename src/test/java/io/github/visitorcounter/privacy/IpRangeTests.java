package io.github.visitorcounter.privacy;

import java.net.InetAddress;
import java.net.UnknownHostException;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IpRangeTests {

	@Test
	void containsTheAddressesOfAnIpv4Range() {
		IpRange range = IpRange.parse("192.0.2.0/24");
		assertThat(range.contains(IpRange.literalOrNull("192.0.2.0"))).isTrue();
		assertThat(range.contains(IpRange.literalOrNull("192.0.2.255"))).isTrue();
		assertThat(range.contains(IpRange.literalOrNull("192.0.3.0"))).isFalse();
		assertThat(range.contains(IpRange.literalOrNull("2001:db8::1"))).isFalse();
	}

	@Test
	void containsTheAddressesOfAnIpv6Range() {
		IpRange range = IpRange.parse("2001:db8::/32");
		assertThat(range.contains(IpRange.literalOrNull("2001:db8:ffff::1"))).isTrue();
		assertThat(range.contains(IpRange.literalOrNull("2001:db9::1"))).isFalse();
	}

	@Test
	void treatsASingleAddressAsAFullLengthRange() {
		IpRange range = IpRange.parse("203.0.113.7");
		assertThat(range.contains(IpRange.literalOrNull("203.0.113.7"))).isTrue();
		assertThat(range.contains(IpRange.literalOrNull("203.0.113.8"))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "example.com", "localhost", "192.0.2.0/33", "192.0.2.0/-1", "192.0.2.0/",
			"2001:db8::/129", "256.1.1.1", "1.2.3", "1.2.3.4.5", "192.0.2.0/24/8", "::g", "1.2.3.4 ; rm -rf /" })
	void refusesWhatIsNotAnAddressOrRange(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> IpRange.parse(text));
	}

	@Test
	void neverContainsAnUnparsableAddress() {
		assertThat(IpRange.parse("0.0.0.0/0").contains(IpRange.literalOrNull("not-an-address"))).isFalse();
	}

	@Property
	void everyIpv4RangeContainsItsOwnNetworkAndAddressesSharingThePrefix(@ForAll @Size(4) byte[] network,
			@ForAll @IntRange(min = 0, max = 32) int prefix, @ForAll @Size(4) byte[] other)
			throws UnknownHostException {
		IpRange range = IpRange.parse(InetAddress.getByAddress(network).getHostAddress() + "/" + prefix);
		assertThat(range.contains(network)).isTrue();
		int networkBits = toInt(network);
		int otherBits = toInt(other);
		int mask = (prefix == 0) ? 0 : -1 << (32 - prefix);
		assertThat(range.contains(other)).isEqualTo((networkBits & mask) == (otherBits & mask));
	}

	@Property
	void everyIpv6AddressIsItsOwnRange(@ForAll @Size(16) byte[] address) throws UnknownHostException {
		String text = InetAddress.getByAddress(address).getHostAddress();
		assertThat(IpRange.parse(text).contains(address)).isTrue();
		assertThat(IpRange.parse(text + "/0").contains(IpRange.literalOrNull("::1"))).isTrue();
	}

	@Property
	void neverResolvesHostNames(@ForAll("hostNames") String name) {
		assertThat(IpRange.literalOrNull(name)).isNull();
	}

	@Provide
	Arbitrary<String> hostNames() {
		return Arbitraries.strings()
			.withCharRange('a', 'z')
			.ofMinLength(1)
			.ofMaxLength(20)
			.map((label) -> label + ".test");
	}

	private static int toInt(byte[] address) {
		return ((address[0] & 0xFF) << 24) | ((address[1] & 0xFF) << 16) | ((address[2] & 0xFF) << 8)
				| (address[3] & 0xFF);
	}

}
