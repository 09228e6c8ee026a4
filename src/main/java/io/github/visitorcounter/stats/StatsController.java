package io.github.visitorcounter.stats;

import io.github.visitorcounter.counter.CounterName;
import io.github.visitorcounter.counter.CounterNames;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.web.ProblemResponses;
import io.github.visitorcounter.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Daily uniques of a counter: today, the last 7 and 30 days, and a day-by-day series.
 */
@RestController
@Tag(name = "visitors")
@RequestMapping("/api/visitors")
record StatsController(DailyVisitors dailyVisitors, AddressLimits addressLimits) {

	@Operation(summary = "Daily uniques of a counter",
			description = "Distinct visitors today, over the last 7 and 30 days (true unions of daily HyperLogLogs, "
					+ "standard error 0.81%), and per day for the last `days` days, oldest first; 404 for a counter this "
					+ "deployment does not serve.")
	@ApiResponse(responseCode = "200", description = "The stats")
	@ProblemResponses({ ProblemType.INVALID_REQUEST, ProblemType.UNKNOWN_COUNTER, ProblemType.RATE_LIMITED,
			ProblemType.STORAGE_UNAVAILABLE, ProblemType.SERVER_BUSY })
	@GetMapping(path = { "/stats", "/{counter}/stats" }, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<StatsResponse> readStats(@PathVariable(required = false) @CounterName String counter,
			@RequestParam(defaultValue = "30") @Min(value = 1, message = "must be between 1 and 365") @Max(value = 365,
					message = "must be between 1 and 365") int days,
			HttpServletRequest request) {
		this.addressLimits.chargeRead(Client.of(request));
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.body(this.dailyVisitors.stats(CounterNames.orDefault(counter), days));
	}

}
