package io.github.visitorcounter.visitor;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.web.RateLimit;
import io.github.visitorcounter.web.RateLimitExceededException;
import io.github.visitorcounter.web.VisitHeaders;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import java.time.Duration;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.verifyNoInteractions;

@WebMvcTest(VisitorController.class)
@Import({ LastKnownCounts.class, CountReads.class })
class VisitorControllerTests {

	private static final String VISITOR_ID = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private VisitorCounter visitorCounter;

	@MockitoBean
	private CounterStore counterStore;

	@MockitoBean
	private AddressLimits addressLimits;

	@Test
	void registersAVisitOnTheDefaultCounter() {
		given(this.visitorCounter.register(eq("default"), eq(VISITOR_ID), any()))
			.willReturn(new Registration("default", 1234, true, null, null));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertThat(result).headers().hasSingleValue(HttpHeaders.CACHE_CONTROL, "no-store");
		assertThat(result).bodyJson().isStrictlyEqualTo("""
				{"counter":"default","count":1234,"newVisitor":true}""");
	}

	@Test
	void reportsAReturningVisitorOnANamedCounter() {
		given(this.visitorCounter.register(eq("blog.posts_2-x"), eq(VISITOR_ID), any()))
			.willReturn(new Registration("blog.posts_2-x", 7, false, null, null));
		assertThat(post("/api/visitors/blog.posts_2-x", body(VISITOR_ID))).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"counter":"blog.posts_2-x","count":7,"newVisitor":false}""");
	}

	@ParameterizedTest
	@ValueSource(strings = { "01ARZ3NDEKTSV4RRFFQ69G5FAV", "V1StGXR8_Z5jdHi6B-myT", "abcdefghijklmnop" })
	void acceptsUuidsNanoidsAndUlids(String visitorId) {
		given(this.visitorCounter.register(eq("default"), eq(visitorId), any()))
			.willReturn(new Registration("default", 1, true, null, null));
		assertThat(post("/api/visitors", body(visitorId))).hasStatusOk();
	}

	@Test
	void tellsTheClientItsRequestBudget() {
		given(this.visitorCounter.register(eq("default"), eq(VISITOR_ID), any()))
			.willReturn(new Registration("default", 3, true, null, new RateLimit(30, 29, Duration.ofMillis(9_500))));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertThat(result).hasStatusOk();
		assertThat(result).headers()
			.hasSingleValue("RateLimit-Limit", "30")
			.hasSingleValue("RateLimit-Remaining", "29")
			.hasSingleValue("RateLimit-Reset", "10")
			.doesNotContainHeader(VisitHeaders.VISIT_NOT_COUNTED);
	}

	@Test
	void saysWhyAVisitWasNotCounted() {
		given(this.visitorCounter.register(eq("default"), eq(VISITOR_ID), any()))
			.willReturn(new Registration("default", 12, false, "new-visitor-cap", null));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"counter":"default","count":12,"newVisitor":false}""");
		assertThat(result).headers().hasSingleValue(VisitHeaders.VISIT_NOT_COUNTED, "new-visitor-cap");
	}

	@Test
	void answersAClientOverItsBudgetWithTooManyRequests() {
		given(this.visitorCounter.register(any(), any(), any()))
			.willThrow(new RateLimitExceededException(30, Duration.ofMillis(4_200)));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertProblem(result, HttpStatus.TOO_MANY_REQUESTS, "rate-limited");
		assertThat(result).headers()
			.hasSingleValue(HttpHeaders.RETRY_AFTER, "5")
			.hasSingleValue("RateLimit-Limit", "30")
			.hasSingleValue("RateLimit-Remaining", "0")
			.hasSingleValue("RateLimit-Reset", "5");
	}

	@Test
	void passesTheClientAddressAndHeadersOn() {
		given(this.visitorCounter.register(any(), any(), any()))
			.willReturn(new Registration("default", 1, true, null, null));
		this.mvc.post()
			.uri("/api/visitors")
			.contentType(MediaType.APPLICATION_JSON)
			.header("User-Agent", "curl/8.5.0")
			.header("DNT", "1")
			.header("Sec-GPC", "1")
			.with((request) -> {
				request.setRemoteAddr("203.0.113.7");
				return request;
			})
			.content(body(VISITOR_ID))
			.exchange();
		then(this.visitorCounter).should()
			.register("default", VISITOR_ID, new Client("203.0.113.7", "curl/8.5.0", true, true));
	}

	@Test
	void readsACount() {
		given(this.counterStore.servedCount("default")).willReturn(OptionalLong.of(42));
		MvcTestResult result = this.mvc.get().uri("/api/visitors").exchange();
		assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"counter":"default","count":42}""");
		assertThat(result).headers().hasSingleValue(HttpHeaders.CACHE_CONTROL, "no-store");
	}

	@Test
	void readsANamedCounterNeverHitAsZero() {
		given(this.counterStore.servedCount("docs")).willReturn(OptionalLong.of(0));
		assertThat(this.mvc.get().uri("/api/visitors/docs").exchange()).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"counter":"docs","count":0}""");
	}

	@Test
	void rejectsMalformedJson() {
		MvcTestResult result = post("/api/visitors", "{\"visitorId\":");
		assertProblem(result, HttpStatus.BAD_REQUEST, "malformed-body");
	}

	@Test
	void rejectsAMissingBody() {
		assertProblem(post("/api/visitors", ""), HttpStatus.BAD_REQUEST, "malformed-body");
	}

	@Test
	void rejectsABodyThatIsNotAnObject() {
		assertProblem(post("/api/visitors", "[\"" + VISITOR_ID + "\"]"), HttpStatus.BAD_REQUEST, "malformed-body");
	}

	@Test
	void rejectsAMissingVisitorIdNamingTheField() {
		MvcTestResult result = post("/api/visitors", "{}");
		assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-request");
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("visitorId");
		assertThat(result).bodyJson().extractingPath("$.errors[0].message").isEqualTo("is required");
	}

	@ParameterizedTest
	@ValueSource(strings = { "short", "0b6f3c1e 8a4d 4c55", "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a!",
			"ids/../../etc/passwd", "ünicode-ünicode-ünicode" })
	void rejectsAnInvalidVisitorId(String visitorId) {
		MvcTestResult result = post("/api/visitors", body(visitorId));
		assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-request");
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("visitorId");
	}

	@Test
	void rejectsAVisitorIdLongerThan128Characters() {
		assertProblem(post("/api/visitors", body("a".repeat(129))), HttpStatus.BAD_REQUEST, "invalid-request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Blog", "-blog", ".hidden", "blog%20posts", "blog:x",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void rejectsAnInvalidCounterName(String counter) {
		MvcTestResult result = post("/api/visitors/" + counter, body(VISITOR_ID));
		assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-request");
		assertThat(result).bodyJson().extractingPath("$.errors[0].field").isEqualTo("counter");
		assertProblem(this.mvc.get().uri("/api/visitors/" + counter).exchange(), HttpStatus.BAD_REQUEST,
				"invalid-request");
	}

	@Test
	void namesEveryInvalidFieldAndCountsNothing() {
		MvcTestResult result = post("/api/visitors/Blog", body("short"));
		assertProblem(result, HttpStatus.BAD_REQUEST, "invalid-request");
		assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("Invalid counter, visitorId.");
		assertThat(result).bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.containsExactly("counter", "visitorId");
		assertThat(result).bodyJson()
			.extractingPath("$.errors[1].message")
			.isEqualTo("must be 16-128 characters of [A-Za-z0-9_-]");
		verifyNoInteractions(this.visitorCounter);
	}

	@Test
	void rejectsAWrongContentType() {
		MvcTestResult result = this.mvc.post()
			.uri("/api/visitors")
			.contentType(MediaType.TEXT_PLAIN)
			.content(VISITOR_ID)
			.exchange();
		assertProblem(result, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");
	}

	@Test
	void rejectsABodyOver4KiB() {
		MvcTestResult result = post("/api/visitors", "{\"visitorId\":\"" + "a".repeat(4096) + "\"}");
		assertProblem(result, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large");
	}

	@Test
	void answersAnUnknownRouteWithNotFound() {
		assertProblem(this.mvc.get().uri("/api/visitors/blog/extra").exchange(), HttpStatus.NOT_FOUND, "not-found");
		assertProblem(this.mvc.get().uri("/api/nothing-here").exchange(), HttpStatus.NOT_FOUND, "not-found");
	}

	@Test
	void answersAWrongMethodWithMethodNotAllowed() {
		MvcTestResult result = this.mvc.delete().uri("/api/visitors").exchange();
		assertProblem(result, HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed");
		assertThat(result).headers().containsHeader(HttpHeaders.ALLOW);
	}

	@Test
	void answersAnUnreachableRedisWithServiceUnavailable() {
		given(this.visitorCounter.register(any(), any(), any()))
			.willThrow(new RedisConnectionFailureException("Unable to connect to Redis"));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable");
		assertThat(result).headers().hasSingleValue(HttpHeaders.RETRY_AFTER, "2");
	}

	@Test
	void answersARedisTimeoutWithServiceUnavailable() {
		given(this.counterStore.servedCount(any())).willThrow(new QueryTimeoutException("Redis command timed out"));
		MvcTestResult result = this.mvc.get().uri("/api/visitors/never-read").exchange();
		assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable");
		assertThat(result).headers().containsHeader(HttpHeaders.RETRY_AFTER);
		assertThat(result).bodyText().doesNotContain("timed out");
	}

	@Test
	void servesTheLastKnownCountMarkedStaleWhileRedisIsDown() {
		given(this.counterStore.servedCount("docs")).willReturn(OptionalLong.of(12))
			.willThrow(new RedisConnectionFailureException("Unable to connect to Redis"));
		assertThat(this.mvc.get().uri("/api/visitors/docs").exchange()).hasStatusOk();
		MvcTestResult stale = this.mvc.get().uri("/api/visitors/docs").exchange();
		assertThat(stale).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"counter":"docs","count":12,"stale":true}""");
	}

	@Test
	void answersAnUnexpectedFailureWithoutDetails() {
		given(this.counterStore.servedCount(any())).willThrow(new IllegalStateException("secret internals"));
		MvcTestResult result = this.mvc.get().uri("/api/visitors").exchange();
		assertProblem(result, HttpStatus.INTERNAL_SERVER_ERROR, "internal-error");
		assertThat(result).bodyText().doesNotContain("secret internals");
	}

	@Test
	void answersErrorsAsProblemJsonWhateverTheClientAccepts() {
		MvcTestResult result = this.mvc.post()
			.uri("/api/visitors")
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.TEXT_HTML)
			.content("{}")
			.exchange();
		assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void neverCountsAVisitOnAnErrorPath() {
		post("/api/visitors", "{\"visitorId\":");
		post("/api/visitors", "{}");
		post("/api/visitors/Bad", body(VISITOR_ID));
		post("/api/visitors", "{\"visitorId\":\"" + "a".repeat(5000) + "\"}");
		this.mvc.post().uri("/api/visitors").contentType(MediaType.TEXT_PLAIN).content(VISITOR_ID).exchange();
		verifyNoInteractions(this.visitorCounter);
	}

	private MvcTestResult post(String uri, String content) {
		return this.mvc.post().uri(uri).contentType(MediaType.APPLICATION_JSON).content(content).exchange();
	}

	private static String body(String visitorId) {
		return "{\"visitorId\":\"" + visitorId + "\"}";
	}

	private static void assertProblem(MvcTestResult result, HttpStatus status, String type) {
		assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:visitor-counter:problem:" + type);
		assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
		assertThat(result).bodyJson().extractingPath("$.title").isNotNull();
		assertThat(result).bodyJson().extractingPath("$.detail").isNotNull();
		assertThat(result).bodyText().doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("trace");
	}

}
