package io.github.visitorcounter.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Liveness when the application's connector stops accepting connections while the process
 * runs on: Actuator, on a port of its own here, reports it down so that an orchestrator
 * restarts the instance.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@Import(TestRedisConfiguration.class)
@DirtiesContext
class AcceptingConnectionsHealthTests {

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void failsLivenessOnceTheServerNoLongerAcceptsConnections() {
		ApiClient management = new ApiClient(this.managementPort);
		assertThat(management.get("/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");

		// Ends the acceptor thread, as an Error escaping it would, and closes the socket
		// too.
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		connector.getProtocolHandler().closeServerSocketGraceful();

		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			HttpResponse<String> liveness = management.get("/actuator/health/liveness");
			assertThat(liveness.statusCode()).isEqualTo(503);
			assertThat(liveness.body()).isEqualTo("{\"status\":\"DOWN\"}");
		});
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1_000);
			}
		});
	}

}
