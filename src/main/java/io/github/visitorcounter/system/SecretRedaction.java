package io.github.visitorcounter.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Masks the environment's {@link Secrets} in everything logged, by the application,
 * Spring or any library: messages, and the message of every exception in a stack trace.
 * Secrets reach the log mostly in exception messages nobody here writes ("Invalid Redis
 * URL 'rediss://default:...@host'", a rejected setting's value), so masking them where
 * every line passes, as the log is written, is the one place that catches them all.
 * Installed once logging is set up, around each appender of the root logger.
 */
class SecretRedaction implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		Secrets secrets = Secrets.in(event.getEnvironment());
		Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
		List<Appender<ILoggingEvent>> appenders = new ArrayList<>();
		for (Iterator<Appender<ILoggingEvent>> each = root.iteratorForAppenders(); each.hasNext();) {
			appenders.add(each.next());
		}
		for (Appender<ILoggingEvent> appender : appenders) {
			if (appender instanceof RedactingAppender redacting) {
				// Logging outlives an application in a JVM that runs several.
				redacting.alsoMask(secrets);
			}
			else {
				RedactingAppender redacting = new RedactingAppender(appender, secrets);
				redacting.setContext(context);
				redacting.start();
				// Never both: better a line lost while they swap than one unmasked.
				root.detachAppender(appender);
				root.addAppender(redacting);
			}
		}
	}

	/** Passes each event on to the appender it wraps, with the secrets masked. */
	static final class RedactingAppender extends AppenderBase<ILoggingEvent> {

		private final Appender<ILoggingEvent> delegate;

		private volatile Secrets secrets;

		RedactingAppender(Appender<ILoggingEvent> delegate, Secrets secrets) {
			this.delegate = delegate;
			this.secrets = secrets;
			setName(delegate.getName());
		}

		void alsoMask(Secrets more) {
			this.secrets = this.secrets.and(more);
		}

		@Override
		protected void append(ILoggingEvent event) {
			this.delegate.doAppend(new RedactedEvent(event, this.secrets));
		}

		@Override
		public void stop() {
			this.delegate.stop();
			super.stop();
		}

	}

	/** An event whose message and exception messages are masked. */
	private record RedactedEvent(ILoggingEvent event, Secrets secrets) implements ILoggingEvent {

		@Override
		public String getMessage() {
			return this.secrets.redact(this.event.getFormattedMessage());
		}

		@Override
		public Object[] getArgumentArray() {
			// The message is already formatted: its arguments are in it, masked.
			return null;
		}

		@Override
		public String getFormattedMessage() {
			return getMessage();
		}

		@Override
		public IThrowableProxy getThrowableProxy() {
			IThrowableProxy proxy = this.event.getThrowableProxy();
			return (proxy != null) ? new RedactedThrowable(proxy, this.secrets) : null;
		}

		@Override
		public String getThreadName() {
			return this.event.getThreadName();
		}

		@Override
		public Level getLevel() {
			return this.event.getLevel();
		}

		@Override
		public String getLoggerName() {
			return this.event.getLoggerName();
		}

		@Override
		public LoggerContextVO getLoggerContextVO() {
			return this.event.getLoggerContextVO();
		}

		@Override
		public StackTraceElement[] getCallerData() {
			return this.event.getCallerData();
		}

		@Override
		public boolean hasCallerData() {
			return this.event.hasCallerData();
		}

		@Override
		public List<Marker> getMarkerList() {
			return this.event.getMarkerList();
		}

		@Override
		public Map<String, String> getMDCPropertyMap() {
			return this.event.getMDCPropertyMap();
		}

		@Override
		@SuppressWarnings("deprecation")
		public Map<String, String> getMdc() {
			return this.event.getMdc();
		}

		@Override
		public long getTimeStamp() {
			return this.event.getTimeStamp();
		}

		@Override
		public int getNanoseconds() {
			return this.event.getNanoseconds();
		}

		@Override
		public long getSequenceNumber() {
			return this.event.getSequenceNumber();
		}

		@Override
		public List<KeyValuePair> getKeyValuePairs() {
			List<KeyValuePair> pairs = this.event.getKeyValuePairs();
			return (pairs != null) ? pairs.stream()
				.map((pair) -> new KeyValuePair(pair.key,
						(pair.value instanceof String value) ? this.secrets.redact(value) : pair.value))
				.toList() : null;
		}

		@Override
		public void prepareForDeferredProcessing() {
			this.event.prepareForDeferredProcessing();
		}

	}

	/** An exception, and its causes, with their messages masked. */
	private record RedactedThrowable(IThrowableProxy proxy, Secrets secrets) implements IThrowableProxy {

		@Override
		public String getMessage() {
			return this.secrets.redact(this.proxy.getMessage());
		}

		@Override
		public String getOverridingMessage() {
			return this.secrets.redact(this.proxy.getOverridingMessage());
		}

		@Override
		public String getClassName() {
			return this.proxy.getClassName();
		}

		@Override
		public StackTraceElementProxy[] getStackTraceElementProxyArray() {
			return this.proxy.getStackTraceElementProxyArray();
		}

		@Override
		public int getCommonFrames() {
			return this.proxy.getCommonFrames();
		}

		@Override
		public IThrowableProxy getCause() {
			IThrowableProxy cause = this.proxy.getCause();
			return (cause != null) ? new RedactedThrowable(cause, this.secrets) : null;
		}

		@Override
		public IThrowableProxy[] getSuppressed() {
			IThrowableProxy[] suppressed = this.proxy.getSuppressed();
			return (suppressed != null) ? Arrays.stream(suppressed)
				.map((each) -> new RedactedThrowable(each, this.secrets))
				.toArray(IThrowableProxy[]::new) : null;
		}

		@Override
		public boolean isCyclic() {
			return this.proxy.isCyclic();
		}

	}

}
