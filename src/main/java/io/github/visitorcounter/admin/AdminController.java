package io.github.visitorcounter.admin;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.visitorcounter.counter.CounterAdministration;
import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterStore;
import io.github.visitorcounter.counter.PagePaths;
import io.github.visitorcounter.counter.PagePaths.InvalidPagePathException;
import io.github.visitorcounter.web.InvalidRequestException;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.StreamedJson;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The owner API: set a starting value when migrating, reset a counter, list, export and
 * import counts; list a counter's pages, set or reset the count of one.
 */
@RestController
@RequestMapping(path = "/api/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "owner", description = "The site owner's controls; only with VISITORS_ADMIN_TOKEN set")
@SecurityRequirement(name = "adminToken")
@ProblemResponses({ ProblemType.UNAUTHORIZED, ProblemType.RATE_LIMITED, ProblemType.STORAGE_UNAVAILABLE })
class AdminController {

	private static final String PAGES_EXAMPLE = "{\"blog\":{\"/posts/hello\":17,\"/\":40}}";

	private final CounterAdministration administration;

	private final OwnerCounts counts;

	AdminController(CounterAdministration administration, OwnerCounts counts) {
		this.administration = administration;
		this.counts = counts;
	}

	@Operation(summary = "List counters with their counts", description = "By name, however many there are.")
	@GetMapping("/counters")
	ResponseEntity<StreamedJson<CounterList>> listCounters() {
		return streamed(this.counts.list());
	}

	@Operation(summary = "Set a count", description = "A starting value when migrating from another counter.")
	@ProblemResponses(ProblemType.INVALID_REQUEST)
	@PutMapping(path = "/counters/{counter}", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<CounterCount> setCount(@PathVariable @CounterName String counter,
			@Valid @RequestBody NewCount body) {
		this.administration.setCount(counter, body.count());
		return noStore(new CounterCount(counter, body.count()));
	}

	@Operation(summary = "Reset a counter",
			description = "Removes its count, dedupe and limiter state: every visitor counts again.")
	@ProblemResponses(ProblemType.INVALID_REQUEST)
	@DeleteMapping("/counters/{counter}")
	ResponseEntity<CounterReset> resetCounter(@PathVariable @CounterName String counter) {
		return noStore(new CounterReset(counter, 0, this.administration.delete(counter)));
	}

	@Operation(summary = "List a counter's pages",
			description = "Every page of the counter with its count, most visited first.")
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.SERVER_BUSY })
	@GetMapping("/counters/{counter}/pages")
	ResponseEntity<PageList> listPages(@PathVariable @CounterName String counter) {
		return noStore(new PageList(counter,
				this.counts.pages(counter).stream().map((page) -> new PageCount(page.path(), page.count())).toList()));
	}

	@Operation(summary = "Set a page's count",
			description = "A starting value when migrating. Creates the page, whatever the page limit, and the "
					+ "counter if it does not exist.")
	@ProblemResponses(ProblemType.INVALID_REQUEST)
	@PutMapping(path = "/counters/{counter}/pages", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<PageCount> setPageCount(@PathVariable @CounterName String counter,
			@Parameter(description = "the page's URL path, normalised as a visit's") @RequestParam String path,
			@Valid @RequestBody NewCount body) {
		String page = normalised(path);
		this.administration.setPageCounts(counter, Map.of(page, body.count()));
		return noStore(new PageCount(page, body.count()));
	}

	@Operation(summary = "Reset a page",
			description = "Removes its count and the visitors it counted: every visitor counts again for it. A path "
					+ "the counter holds is taken as it is, so that a page an earlier version stored under a path "
					+ "refused now can be removed.")
	@ProblemResponses(ProblemType.INVALID_REQUEST)
	@DeleteMapping("/counters/{counter}/pages")
	ResponseEntity<PageReset> resetPage(@PathVariable @CounterName String counter,
			@Parameter(description = "the page's URL path, normalised as a visit's") @RequestParam String path) {
		String page = normalisedOrHeld(counter, path);
		return noStore(new PageReset(page, 0, this.administration.resetPage(counter, page)));
	}

	/**
	 * The path normalised, or, where it is refused, as sent if the counter holds it: a
	 * page an earlier version stored under a path refused now. Redis is asked only then.
	 */
	private String normalisedOrHeld(String counter, String path) {
		try {
			return normalised(path);
		}
		catch (InvalidRequestException ex) {
			if (this.counts.holdsPage(counter, path)) {
				return path;
			}
			throw ex;
		}
	}

	@Operation(summary = "Export all counts", description = "By name, however many there are; import reads it.")
	@GetMapping("/export")
	ResponseEntity<StreamedJson<Export>> exportCounts() {
		return streamed(this.counts.export());
	}

	@Operation(summary = "Import counts",
			description = "Sets every listed counter to its count, as exported, however many: up to "
					+ "`VISITORS_ADMIN_IMPORT_MAX_SIZE` (64 MB), read as it arrives. Nothing is written unless "
					+ "every entry is valid.")
	@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(implementation = Import.class)))
	@ProblemResponses(ProblemType.INVALID_REQUEST)
	@PostMapping(path = "/import", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Imported> importCounts(HttpServletRequest request) throws IOException {
		return noStore(this.counts.importFrom(request.getInputStream()));
	}

	private static String normalised(String path) {
		try {
			return PagePaths.normalise(path);
		}
		catch (InvalidPagePathException ex) {
			throw new InvalidRequestException(Map.of("path", ex.getMessage()));
		}
	}

	/**
	 * A streamed body passes no message converter, which would otherwise name its content
	 * type.
	 */
	private static <T> ResponseEntity<StreamedJson<T>> streamed(StreamedJson<T> body) {
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON)
			.body(body);
	}

	private static <T> ResponseEntity<T> noStore(T body) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

	record NewCount(@Schema(example = "1234", requiredMode = Schema.RequiredMode.REQUIRED) @NotNull(
			message = "is required") @Min(value = 0, message = "must not be negative") @Max(
					value = CounterStore.MAX_COUNT, message = "must be at most 9007199254740991") Long count) {

	}

	record CounterCount(@Schema(example = "blog", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
			@Schema(example = "1234", requiredMode = Schema.RequiredMode.REQUIRED) long count) {

	}

	record CounterList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<CounterCount> counters) {

	}

	record CounterReset(@Schema(example = "blog", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
			@Schema(example = "0", requiredMode = Schema.RequiredMode.REQUIRED) long count,
			@Schema(example = "57", requiredMode = Schema.RequiredMode.REQUIRED) long removedKeys) {

	}

	record PageCount(@Schema(example = "/posts/hello", requiredMode = Schema.RequiredMode.REQUIRED) String path,
			@Schema(example = "17", requiredMode = Schema.RequiredMode.REQUIRED) long count) {

	}

	record PageList(@Schema(example = "blog", requiredMode = Schema.RequiredMode.REQUIRED) String counter,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<PageCount> pages) {

	}

	record PageReset(@Schema(example = "/posts/hello", requiredMode = Schema.RequiredMode.REQUIRED) String path,
			@Schema(example = "0", requiredMode = Schema.RequiredMode.REQUIRED) long count,
			@Schema(example = "3", requiredMode = Schema.RequiredMode.REQUIRED) long removedKeys) {

	}

	record Export(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant exportedAt,
			@Schema(example = "{\"blog\":12,\"default\":1234}",
					requiredMode = Schema.RequiredMode.REQUIRED) Map<String, Long> counters,
			@Schema(description = "the counts of the counters' pages, by counter and normalised path",
					example = PAGES_EXAMPLE,
					requiredMode = Schema.RequiredMode.REQUIRED) Map<String, Map<String, Long>> pages) {

	}

	record Import(@NotNull(
			message = "is required") Map<@CounterName String, @NotNull @Min(0) @Max(CounterStore.MAX_COUNT) Long> counters,
			@Schema(description = "the counts of pages, by counter and normalised path; each page created, and its "
					+ "counter if needed",
					example = PAGES_EXAMPLE) Map<@CounterName String, Map<String, @NotNull @Min(0) @Max(CounterStore.MAX_COUNT) Long>> pages) {

	}

	record Imported(
			@Schema(description = "how many counters' counts were set", example = "2",
					requiredMode = Schema.RequiredMode.REQUIRED) int imported,
			@Schema(description = "how many pages' counts were set", example = "3",
					requiredMode = Schema.RequiredMode.REQUIRED) int importedPages) {

	}

}
