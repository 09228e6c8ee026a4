package io.github.visitorcounter.visitor;

import io.github.visitorcounter.visitor.VisitorCounter.Visit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
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
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

@WebMvcTest(VisitorController.class)
class VisitorControllerTests {

	private static final String VISITOR_ID = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private VisitorCounter visitorCounter;

	@Test
	void registersAVisitOnTheDefaultCounter() {
		given(this.visitorCounter.register("default", VISITOR_ID)).willReturn(new Visit("default", 1234, true));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
		assertThat(result).headers().hasSingleValue(HttpHeaders.CACHE_CONTROL, "no-store");
		assertThat(result).bodyJson().isStrictlyEqualTo("""
				{"counter":"default","count":1234,"newVisitor":true}""");
	}

	@Test
	void reportsAReturningVisitorOnANamedCounter() {
		given(this.visitorCounter.register("blog.posts_2-x", VISITOR_ID))
			.willReturn(new Visit("blog.posts_2-x", 7, false));
		assertThat(post("/api/visitors/blog.posts_2-x", body(VISITOR_ID))).hasStatusOk()
			.bodyJson()
			.isStrictlyEqualTo("""
					{"counter":"blog.posts_2-x","count":7,"newVisitor":false}""");
	}

	@ParameterizedTest
	@ValueSource(strings = { "01ARZ3NDEKTSV4RRFFQ69G5FAV", "V1StGXR8_Z5jdHi6B-myT", "abcdefghijklmnop" })
	void acceptsUuidsNanoidsAndUlids(String visitorId) {
		given(this.visitorCounter.register("default", visitorId)).willReturn(new Visit("default", 1, true));
		assertThat(post("/api/visitors", body(visitorId))).hasStatusOk();
	}

	@Test
	void readsACount() {
		given(this.visitorCounter.count("default")).willReturn(42L);
		MvcTestResult result = this.mvc.get().uri("/api/visitors").exchange();
		assertThat(result).hasStatusOk().bodyJson().isStrictlyEqualTo("""
				{"counter":"default","count":42}""");
		assertThat(result).headers().hasSingleValue(HttpHeaders.CACHE_CONTROL, "no-store");
	}

	@Test
	void readsANamedCounterNeverHitAsZero() {
		given(this.visitorCounter.count("docs")).willReturn(0L);
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
		given(this.visitorCounter.register(any(), any()))
			.willThrow(new RedisConnectionFailureException("Unable to connect to Redis"));
		MvcTestResult result = post("/api/visitors", body(VISITOR_ID));
		assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable");
		assertThat(result).headers().hasSingleValue(HttpHeaders.RETRY_AFTER, "2");
	}

	@Test
	void answersARedisTimeoutWithServiceUnavailable() {
		given(this.visitorCounter.count(any())).willThrow(new QueryTimeoutException("Redis command timed out"));
		MvcTestResult result = this.mvc.get().uri("/api/visitors").exchange();
		assertProblem(result, HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable");
		assertThat(result).headers().containsHeader(HttpHeaders.RETRY_AFTER);
		assertThat(result).bodyText().doesNotContain("timed out");
	}

	@Test
	void answersAnUnexpectedFailureWithoutDetails() {
		given(this.visitorCounter.count(any())).willThrow(new IllegalStateException("secret internals"));
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
