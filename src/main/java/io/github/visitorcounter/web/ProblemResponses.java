package io.github.visitorcounter.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The problems a handler decides on (on a class: each of its handlers), for the OpenAPI
 * document. Those the web layer answers on its own need not be listed: a malformed URI or
 * query string, a foreign origin, an oversized body, an unexpected failure, and, by what
 * the route reads and writes, a malformed body, an unsupported body type or an
 * unacceptable answer type.
 */
@Documented
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
public @interface ProblemResponses {

	ProblemType[] value();

}
