package io.github.visitorcounter.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.visitorcounter.web.AddressSlots.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressSlotsTests {

	@Test
	void refusesAnAddressPlacesBeyondItsShareButNotTheOthers() {
		AddressSlots slots = new AddressSlots(10, 3);
		assertThat(List.of(1, 2, 3, 4).stream().map((i) -> slots.tryTake("203.0.113.1"))).containsExactly(Outcome.TAKEN,
				Outcome.TAKEN, Outcome.TAKEN, Outcome.ADDRESS_FULL);
		assertThat(slots.tryTake("203.0.113.2")).isEqualTo(Outcome.TAKEN);
		slots.release("203.0.113.1");
		assertThat(slots.tryTake("203.0.113.1")).isEqualTo(Outcome.TAKEN);
		assertThat(slots.taken()).isEqualTo(4);
	}

	@Test
	void refusesEveryoneBeyondTheTotalUntilAPlaceIsReleased() {
		AddressSlots slots = new AddressSlots(4, 2);
		for (String address : List.of("a", "a", "b", "b")) {
			assertThat(slots.tryTake(address)).isEqualTo(Outcome.TAKEN);
		}
		assertThat(slots.tryTake("c")).isEqualTo(Outcome.ALL_TAKEN);
		slots.release("a");
		assertThat(slots.tryTake("c")).isEqualTo(Outcome.TAKEN);
		assertThat(slots.taken()).isEqualTo(4);
	}

	@Test
	void neverHandsOutMorePlacesThanItHasUnderContention() throws Exception {
		AddressSlots slots = new AddressSlots(8, 3);
		AtomicInteger held = new AtomicInteger();
		AtomicInteger mostHeld = new AtomicInteger();
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<Void>> clients = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				String address = "client-" + (t % 3);
				clients.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 20_000; i++) {
						if (slots.tryTake(address) == Outcome.TAKEN) {
							mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
							held.decrementAndGet();
							slots.release(address);
						}
					}
				}, threads));
			}
			CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
		}
		finally {
			threads.shutdown();
		}
		assertThat(mostHeld.get()).isLessThanOrEqualTo(8);
		assertThat(slots.taken()).isZero();
		assertThat(List.of(1, 2, 3).stream().map((i) -> slots.tryTake("client-0"))).containsOnly(Outcome.TAKEN);
	}

}
