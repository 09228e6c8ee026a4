package io.github.visitorcounter.privacy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTests {

	@Test
	void groupsAnIpv4AddressByItself() {
		assertThat(client("203.0.113.7").addressGroup()).isEqualTo("203.0.113.7");
		assertThat(client("203.0.113.8").addressGroup()).isEqualTo("203.0.113.8");
	}

	@Test
	void groupsIpv6AddressesByTheirSlash64() {
		String group = client("2001:db8:0:1::1").addressGroup();
		assertThat(group).isEqualTo("2001:db8:0:1:0:0:0:0/64");
		assertThat(client("2001:db8:0:1:ffff:ffff:ffff:ffff").addressGroup()).isEqualTo(group);
		assertThat(client("2001:DB8:0:1:a:b:c:d").addressGroup()).isEqualTo(group);
		assertThat(client("2001:db8:0:2::1").addressGroup()).isNotEqualTo(group);
	}

	@Test
	void groupsAnIpv4MappedIpv6AddressAsIpv4() {
		assertThat(client("::ffff:203.0.113.7").addressGroup()).isEqualTo("::ffff:203.0.113.7");
		assertThat(client("::ffff:203.0.113.8").addressGroup()).isNotEqualTo("::ffff:203.0.113.7");
	}

	@Test
	void keepsWhatIsNotAnIpLiteralAsItIs() {
		assertThat(client("unknown").addressGroup()).isEqualTo("unknown");
		assertThat(client("fe80::1%eth0").addressGroup()).isEqualTo("fe80::1%eth0");
	}

	private static Client client(String address) {
		return new Client(address, null, false, false);
	}

}
