package io.github.visitorcounter.counter;

import io.github.visitorcounter.counter.PagePaths.InvalidPagePathException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The table of docs/pages.md: what a path normalises to, and what is refused.
 */
class PagePathsTests {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			/                               | /
			/posts/hello                    | /posts/hello
			/posts/hello/                   | /posts/hello
			/posts/hello//                  | /posts/hello
			/posts/hello/index.html         | /posts/hello
			/index.html                     | /
			/index.html/                    | /
			/posts/Index.html               | /posts/Index.html
			/Posts/Hello                    | /Posts/Hello
			/posts/%68%65llo                | /posts/hello
			/%7euser                        | /~user
			/a%2fb                          | /a%2Fb
			/a%2Fb                          | /a%2Fb
			/caf%c3%a9                      | /caf%C3%A9
			/café                           | /caf%C3%A9
			/a b                            | /a%20b
			/a%20b                          | /a%20b
			/a/./b/../c                     | /a/c
			/a/b/..                         | /a
			/../a                           | /a
			/a/%2E%2E/b                     | /b
			/a//b                           | /a//b
			/a:b@c!$&'()*+,;=               | /a:b@c!$&'()*+,;=
			/a%3Ab                          | /a%3Ab
			/a"<>\\^`{}                     | /a%22%3C%3E%5C%5E%60%7B%7D
			/😀                              | /%F0%9F%98%80
			""")
	void normalisesAPath(String path, String normalised) {
		assertThat(PagePaths.normalise(path)).isEqualTo(normalised);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "posts/hello", "https://example.com/posts", "//example.com/posts", "/posts?page=2",
			"/posts#top", "/%", "/%2", "/%zz", "/%C3%28", "/%FF", "/%C3", "/a\u0000b", "/a\tb", "/a\u007fb", "/\uD800",
			"/%ED%A0%80", "/%٣%٣", "/%00", "/a%0Ab", "/%7f", "/%C2%85", "/\u0085", "/.//evil.example/x", "/..//a",
			"/a/..//b", "/%2E%2E//x" })
	void refusesAnInvalidPath(String path) {
		assertThatExceptionOfType(InvalidPagePathException.class).isThrownBy(() -> PagePaths.normalise(path));
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 100, 511 })
	void takesAPathOfUpTo512Bytes(int length) {
		String path = "/" + "a".repeat(length);
		assertThat(PagePaths.normalise(path)).isEqualTo(path);
		// Counted once encoded: é is %C3%A9, 6 bytes.
		assertThat(PagePaths.normalise("/" + "é".repeat(85))).hasSize(511);
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "é", "%61" })
	void refusesAPathOverThatOnceNormalised(String character) {
		int repeat = 512 / ((character.equals("é") ? 6 : 1)) + 1;
		assertThatExceptionOfType(InvalidPagePathException.class)
			.isThrownBy(() -> PagePaths.normalise("/" + character.repeat(repeat)))
			.withMessage("must not exceed 512 bytes once normalised");
		// What folds away is not counted.
		assertThat(PagePaths.normalise("/a" + "/.".repeat(600))).isEqualTo("/a");
	}

	@ParameterizedTest
	@ValueSource(ints = { 2049, 10_000 })
	void refusesAnInputOverItsBoundBeforeNormalising(int length) {
		assertThatExceptionOfType(InvalidPagePathException.class)
			.isThrownBy(() -> PagePaths.normalise("/" + "a".repeat(length - 1)))
			.withMessage("must not exceed 2048 characters");
	}

}
