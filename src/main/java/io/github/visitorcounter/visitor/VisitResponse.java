package io.github.visitorcounter.visitor;

record VisitResponse(String counter, long count, boolean newVisitor) {

}
