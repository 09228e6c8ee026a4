package io.github.visitorcounter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.visitorcounter.testing.Browser;
import io.github.visitorcounter.testing.CaddyProxy;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.NginxProxy;
import io.github.visitorcounter.testing.PackagedJar;
import io.github.visitorcounter.testing.RawHttp;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.ReverseProxy;
import io.github.visitorcounter.testing.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deployment recipes in {@code deploy/}, run as README tells people to run them:
 * nginx ({@code deploy/nginx.conf}) and Caddy ({@code deploy/Caddyfile}), each with TLS
 * on a port other than 443, in front of two instances of the packaged jar on one Redis.
 * The recipe files are used as they are; only what README leaves to the person (ports,
 * upstream addresses, certificate) comes from the test, through the recipes' included
 * files and environment variables.
 */
class ReverseProxyIntegrationTests {

	/** Requests per client address and counter in the rate-limit window. */
	private static final int BUDGET = 3;

	/** The apps' stream heartbeat, scaled down with the proxy's idle timeout. */
	private static final Duration HEARTBEAT = Duration.ofSeconds(1);

	/** The address the proxies connect to the apps from: the one trusted proxy. */
	private static final InetAddress LOOPBACK = address("127.0.0.1");

	private static final InetAddress CLIENT = address("127.0.0.2");

	private static final InetAddress OTHER_CLIENT = address("127.0.0.3");

	@AutoClose
	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private static final SelfSignedCertificate certificate = SelfSignedCertificate.generate();

	private static PackagedJar first;

	private static PackagedJar second;

	private static NginxProxy nginx;

	private static CaddyProxy caddy;

	@BeforeAll
	static void start() {
		// What README's proxy section tells people to set on every instance.
		Map<String, String> environment = Map.of("REDIS_URL", redis.url(), "VISITORS_ID_SECRET",
				"reverse-proxy-test-secret-" + UUID.randomUUID(), "SERVER_FORWARD_HEADERS_STRATEGY", "native",
				"SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES", "127.0.0.1/32", "VISITORS_RATE_LIMIT_REQUESTS",
				Integer.toString(BUDGET), "VISITORS_LIVE_HEARTBEAT", HEARTBEAT.toMillis() + "ms");
		// The JIT's first tier only: it changes no behaviour and halves the CPU time to
		// start, which two instances starting at once on a small machine notice.
		first = PackagedJar.start(environment, "-XX:TieredStopAtLevel=1");
		second = PackagedJar.start(environment, "-XX:TieredStopAtLevel=1");
		for (PackagedJar instance : List.of(first.awaitReady(), second.awaitReady())) {
			// A cold instance's first answers can take longer than the scaled-down idle
			// timeout.
			for (int i = 0; i < 5; i++) {
				visitDirectly(instance, "warm-up");
			}
		}
		nginx = NginxProxy.start("nginx", NginxProxy.RECIPE, certificate, first.port(), second.port());
		caddy = CaddyProxy.start("caddy", CaddyProxy.RECIPE, first.port(), second.port());
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { caddy, nginx, second, first }) {
			if (closeable != null) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	static Stream<ReverseProxy> proxies() {
		return Stream.of(nginx, caddy);
	}

	// The proxies outlive each test: JUnit must not close them as it closes arguments.
	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("proxies")
	void budgetsEachClientByTheAddressTheProxySaw(ReverseProxy proxy) {
		clientsAreTheAddressesTheProxySaw(proxy);
	}

	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("proxies")
	void takesThePagesOwnOriginForTheServicesOwn(ReverseProxy proxy) {
		ownOriginIsSameOrigin(proxy);
	}

	@ParameterizedTest(name = "{0}", autoCloseArguments = false)
	@MethodSource("proxies")
	void letsNoClientPassAnotherOriginOffAsTheServicesOwn(ReverseProxy proxy) {
		otherOriginsStayForeign(proxy);
	}

	@Test
	void streamsAVisitOnEitherInstanceWithinASecondAndOutlivesTheIdleTimeout() throws InterruptedException {
		String counter = "live-" + UUID.randomUUID().toString().substring(0, 8);
		String path = "/api/visitors/" + counter + "/stream";
		List<ReverseProxy> proxies = List.of(nginx, caddy);
		List<EventStream> streams = proxies.stream().map((proxy) -> proxy.stream(path)).toList();
		try {
			for (EventStream stream : streams) {
				stream.awaitCount(0, Duration.ofSeconds(5));
			}
			// One instance serves each stream: one of these two visits is on the other.
			assertVisitArrivesWithinASecond(first, counter, 1, streams);
			assertVisitArrivesWithinASecond(second, counter, 2, streams);

			List<Integer> heartbeats = streams.stream().map((stream) -> stream.comments().size()).toList();
			Thread.sleep(NginxProxy.IDLE_TIMEOUT.plusSeconds(1).toMillis());
			for (int i = 0; i < streams.size(); i++) {
				assertThat(streams.get(i).ended()).as("the stream through %s", proxies.get(i)).isFalse();
				assertThat(streams.get(i).comments().size() - heartbeats.get(i))
					.as("heartbeats through %s while no one visited", proxies.get(i))
					.isGreaterThanOrEqualTo(2);
			}
			assertVisitArrivesWithinASecond(second, counter, 3, streams);
		}
		finally {
			streams.forEach(EventStream::close);
		}
	}

	@Test
	void showsTheCountOnTheDemoPageAndTheDashboardOverTlsOnAnotherPort() throws IOException {
		try (Browser browser = Browser.trusting(nginx.caCertificate(), caddy.caCertificate())) {
			for (ReverseProxy proxy : List.of(nginx, caddy)) {
				browser.open(proxy.origin() + "/");
				String shown = browser.awaitTextOtherThan("#hero-count", "…");
				assertThat(shown).as("the count on the demo page through %s", proxy).isEqualTo(formatted(count()));
				assertThat(browser.consoleWarnings()).as("through %s", proxy).isEmpty();
				assertThat(Files.size(browser.screenshot("demo-behind-" + proxy))).isPositive();
				// The page follows the count over its own stream through the proxy.
				visitDirectly(second, "default");
				browser.wait(Duration.ofSeconds(5))
					.until((driver) -> formatted(count()).equals(browser.text("#hero-count")));

				browser.open(proxy.origin() + "/dashboard");
				assertThat(browser.awaitTextOtherThan("#total", "–")).isEqualTo(formatted(count()));
				assertThat(browser.text("#status")).isEqualTo("Counter “default”, live.");
				assertThat(browser.uncaughtErrors()).isEmpty();
			}
		}
	}

	/**
	 * A recipe without one of the headers the app relies on, or with the client's own
	 * {@code X-Forwarded-For} kept, fails the check that depends on that header.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("recipesMissingAHeader")
	void aRecipeMissingAHeaderFailsItsCheck(BrokenRecipe broken) throws IOException {
		Path copy = Files.createDirectories(Path.of("target", "reverse-proxies", "recipes", broken.name()))
			.resolve(broken.recipe().getFileName());
		Files.writeString(copy, broken.applyTo(Files.readString(broken.recipe())));
		try (ReverseProxy proxy = broken.recipe().equals(NginxProxy.RECIPE)
				? NginxProxy.start(broken.name(), copy, certificate, first.port(), second.port())
				: CaddyProxy.start(broken.name(), copy, first.port(), second.port())) {
			assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> broken.check().accept(proxy))
				.withMessageContaining(broken.failure());
		}
	}

	static Stream<BrokenRecipe> recipesMissingAHeader() {
		Consumer<ReverseProxy> clients = ReverseProxyIntegrationTests::clientsAreTheAddressesTheProxySaw;
		Consumer<ReverseProxy> ownOrigin = ReverseProxyIntegrationTests::ownOriginIsSameOrigin;
		Consumer<ReverseProxy> otherOrigins = ReverseProxyIntegrationTests::otherOriginsStayForeign;
		String nginxHeader = "(?m)^\\s*proxy_set_header %s .*\\n";
		return Stream.of(
				new BrokenRecipe("nginx-without-x-forwarded-for", NginxProxy.RECIPE,
						nginxHeader.formatted("X-Forwarded-For"), "", clients,
						"/127.0.0.2 over its budget, naming another address"),
				new BrokenRecipe("nginx-appending-to-x-forwarded-for", NginxProxy.RECIPE,
						"(?m)(^\\s*proxy_set_header X-Forwarded-For )\\$remote_addr;",
						"$1\\$proxy_add_x_forwarded_for;", clients,
						"/127.0.0.1 over its budget, naming another address"),
				new BrokenRecipe("nginx-without-x-forwarded-proto", NginxProxy.RECIPE,
						nginxHeader.formatted("X-Forwarded-Proto"), "", ownOrigin, "HTTP/1.1 403"),
				new BrokenRecipe("nginx-without-x-forwarded-port", NginxProxy.RECIPE,
						nginxHeader.formatted("X-Forwarded-Port"), "", ownOrigin, "HTTP/1.1 403"),
				new BrokenRecipe("nginx-without-host", NginxProxy.RECIPE, nginxHeader.formatted("Host"), "", ownOrigin,
						"HTTP/1.1 400"),
				new BrokenRecipe("nginx-without-x-forwarded-host", NginxProxy.RECIPE,
						nginxHeader.formatted("X-Forwarded-Host"), "", otherOrigins, "another host"),
				new BrokenRecipe("caddy-without-x-forwarded-port", CaddyProxy.RECIPE,
						"(?m)^\\s*header_up X-Forwarded-Port .*\\n", "", ownOrigin, "HTTP/1.1 403"));
	}

	/**
	 * Each client gets the budget of the address the proxy saw it connect from, whatever
	 * {@code X-Forwarded-For} it sends: also a client on the proxy's own loopback address
	 * (a tunnel agent, a co-hosted service), which the app trusts as a proxy.
	 */
	static void clientsAreTheAddressesTheProxySaw(ReverseProxy proxy) {
		String path = "/api/visitors/budget-" + UUID.randomUUID().toString().substring(0, 8);
		for (InetAddress client : List.of(CLIENT, LOOPBACK)) {
			for (int i = 0; i < BUDGET; i++) {
				assertThat(proxy.post(client, path).status()).as("%s within its budget", client).isEqualTo(200);
			}
			assertThat(proxy.post(client, path).status()).as("%s over its budget", client).isEqualTo(429);
			assertThat(proxy.post(client, path, "X-Forwarded-For", "203.0.113.7").status())
				.as("%s over its budget, naming another address in X-Forwarded-For", client)
				.isEqualTo(429);
		}
		assertThat(proxy.post(OTHER_CLIENT, path).status()).as("a client from another address").isEqualTo(200);
	}

	/**
	 * A browser's POST from a page served through the proxy is a same-origin request: on
	 * the proxy's port, and on the default port, as behind a port mapping (443 to the
	 * proxy's port) where the browser's URL has none.
	 */
	static void ownOriginIsSameOrigin(ReverseProxy proxy) {
		RawHttp.Response response = proxy.post(newCounterPath(), "Origin", proxy.origin());
		assertThat(response.status()).as(response.text()).isEqualTo(200);
		response = proxy.post(newCounterPath(), "Host", "localhost", "Origin", "https://localhost");
		assertThat(response.status()).as(response.text()).isEqualTo(200);
	}

	/**
	 * Forwarded headers a client sends never make another origin the service's own: the
	 * proxy replaces them.
	 */
	static void otherOriginsStayForeign(ReverseProxy proxy) {
		String otherPort = Integer.toString(proxy.port() + 1);
		assertThat(proxy
			.post(newCounterPath(), "Origin", "https://elsewhere.example:" + proxy.port(), "X-Forwarded-Host",
					"elsewhere.example")
			.status()).as("another host").isEqualTo(403);
		assertThat(
				proxy.post(newCounterPath(), "Origin", "https://localhost:" + otherPort, "X-Forwarded-Port", otherPort)
					.status())
			.as("another port")
			.isEqualTo(403);
		assertThat(
				proxy.post(newCounterPath(), "Origin", "http://localhost:" + proxy.port(), "X-Forwarded-Proto", "http")
					.status())
			.as("another scheme")
			.isEqualTo(403);
	}

	private static void assertVisitArrivesWithinASecond(PackagedJar instance, String counter, long count,
			List<EventStream> streams) {
		long sent = System.nanoTime();
		visitDirectly(instance, counter);
		for (EventStream stream : streams) {
			long arrived = stream.awaitCount(count, Duration.ofSeconds(3)).receivedNanos();
			assertThat(Duration.ofNanos(arrived - sent)).isLessThan(Duration.ofSeconds(1));
		}
	}

	/**
	 * A visit straight to an instance, as if from someone behind a trusted proxy, so that
	 * it spends no client's budget.
	 */
	private static void visitDirectly(PackagedJar instance, String counter) {
		String someone = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
		assertThat(instance.api()
			.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()), "X-Forwarded-For", someone)
			.statusCode()).isEqualTo(200);
	}

	private static long count() {
		String body = first.api().get("/api/visitors").body();
		return Long.parseLong(body.replaceAll(".*\"count\":(\\d+).*", "$1"));
	}

	private static String formatted(long count) {
		return NumberFormat.getIntegerInstance(Locale.ENGLISH).format(count);
	}

	private static String newCounterPath() {
		return "/api/visitors/origin-" + UUID.randomUUID().toString().substring(0, 8);
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A recipe with one line taken out or changed, and the check that must fail for it.
	 *
	 * @param name names the variant and its directory
	 * @param recipe the recipe in {@code deploy/}
	 * @param line a regular expression that matches exactly one line of the recipe
	 * @param replacement what the line becomes ({@code ""}: nothing)
	 * @param check the check that fails without it
	 * @param failure part of the message it fails with
	 */
	record BrokenRecipe(String name, Path recipe, String line, String replacement, Consumer<ReverseProxy> check,
			String failure) {

		String applyTo(String text) {
			Matcher matcher = Pattern.compile(this.line).matcher(text);
			assertThat(matcher.results().count()).as("lines of %s matching %s", this.recipe, this.line).isOne();
			return matcher.replaceFirst(this.replacement);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
