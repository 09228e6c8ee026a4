package io.github.visitorcounter.web;

/**
 * A route whose handler reads its own body, as it arrives, up to its own limit, instead
 * of the 4 KiB that {@link RequestBodyReader} reads for every other route: the owner
 * API's import of a whole export. Only for routes behind authentication, as the handler's
 * blocking read holds a request thread for as long as the client sends.
 *
 * @param path the request path
 * @param maxBytes the largest body taken; a longer one is answered 413
 */
public record LargeBodyRoute(String path, long maxBytes) {

}
