package io.github.visitorcounter.visitor;

record CountResponse(String counter, long count) {

}
