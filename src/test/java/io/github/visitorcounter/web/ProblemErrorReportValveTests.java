package io.github.visitorcounter.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.coyote.ActionCode;
import org.apache.coyote.ActionHook;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The race a graceful shutdown runs with Tomcat: a request line read just before the
 * connector pauses, and its headers then skipped, so Tomcat's 503 becomes a 400 for the
 * Host it did not read. Too narrow to hit over a socket on demand (GracefulShutdownTests
 * met it once in some hundred shutdowns), so the valve is given that request as Tomcat
 * hands it over.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(TestRedisConfiguration.class)
@DirtiesContext
class ProblemErrorReportValveTests {

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void closesUnansweredARequestWhoseHeadersAPauseSkipped() throws Exception {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		List<ActionCode> actions = new ArrayList<>();
		Response response = headerlessBadRequest(connector, actions);
		connector.pause();
		try {
			new ProblemErrorReportValve().report(response.getRequest(), response, null);
		}
		finally {
			connector.resume();
		}
		assertThat(actions).contains(ActionCode.CLOSE_NOW);
		assertThat(response.getContentWritten()).isZero();
	}

	@Test
	void answersTheSameRequestWhileTheConnectorRuns() throws Exception {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		List<ActionCode> actions = new ArrayList<>();
		Response response = headerlessBadRequest(connector, actions);
		new ProblemErrorReportValve().report(response.getRequest(), response, null);
		assertThat(actions).doesNotContain(ActionCode.CLOSE_NOW).contains(ActionCode.IS_IO_ALLOWED);
	}

	private static Response headerlessBadRequest(Connector connector, List<ActionCode> actions) throws Exception {
		org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
		org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
		// Where Tomcat's processor would see the valve's actions: its hook, set only by
		// Tomcat itself.
		Method setHook = org.apache.coyote.Response.class.getDeclaredMethod("setHook", ActionHook.class);
		setHook.setAccessible(true);
		setHook.invoke(coyoteResponse, (ActionHook) (code, parameter) -> actions.add(code));
		coyoteResponse.setStatus(400);
		coyoteRequest.setResponse(coyoteResponse);
		Request request = connector.createRequest(coyoteRequest);
		Response response = connector.createResponse(coyoteResponse);
		request.setResponse(response);
		response.setRequest(request);
		return response;
	}

}
