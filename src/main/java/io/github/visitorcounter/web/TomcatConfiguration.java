package io.github.visitorcounter.web;

import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.http11.AbstractHttp11Protocol;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Tomcat for a public endpoint: {@link RequestHeadersDeadlineProtocol} bounds the time a
 * client may take to send its headers; {@link MalformedUriValve} refuses broken URIs and
 * query strings on every route, {@link MediaTypeHeadersValve} a broken {@code Accept} or
 * {@code Content-Type}; {@link ForwardedHeadersValve} leaves forwarded headers to Tomcat;
 * {@link UnreadBodyValve} never waits for a body nobody reads;
 * {@link PipelinedRequestsValve} serves one of a client's pipelined requests; and
 * {@link ProblemErrorReportValve} replaces Tomcat's HTML error report. Ordered last, so
 * that it also replaces the valve Spring Boot installs.
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	private final SlowClientProperties slowClients;

	private final boolean forwardedHeadersReadBySpring;

	TomcatConfiguration(SlowClientProperties slowClients, Environment environment) {
		this.slowClients = slowClients;
		this.forwardedHeadersReadBySpring = "framework"
			.equalsIgnoreCase(environment.getProperty("server.forward-headers-strategy", ""));
	}

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.setProtocol(RequestHeadersDeadlineProtocol.class.getName());
		factory.addProtocolHandlerCustomizers((protocol) -> {
			if (protocol instanceof RequestHeadersDeadlineProtocol deadline) {
				deadline.setRequestHeadersTimeout((int) this.slowClients.requestReadTimeout().toMillis());
			}
			if (protocol instanceof AbstractHttp11Protocol<?> http) {
				// A client that asks before sending its body is answered at once: the
				// body is read without a thread waiting for it, so nothing else would.
				http.setContinueResponseTiming("immediately");
			}
		});
		factory.addContextCustomizers((context) -> {
			Host host = (Host) context.getParent();
			for (Valve valve : host.getPipeline().getValves()) {
				if (valve instanceof ErrorReportValve) {
					host.getPipeline().removeValve(valve);
				}
			}
			// In this order: the error report valve renders what the others refuse.
			host.getPipeline().addValve(new ProblemErrorReportValve());
			host.getPipeline().addValve(new PipelinedRequestsValve());
			host.getPipeline().addValve(new MalformedUriValve());
			host.getPipeline().addValve(new MediaTypeHeadersValve());
			if (!this.forwardedHeadersReadBySpring) {
				host.getPipeline().addValve(new ForwardedHeadersValve());
			}
			host.getPipeline().addValve(new UnreadBodyValve());
			((StandardHost) host).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
		});
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
