// Package emailanalytics is the pure core of Contact Lens conversational
// analytics for email: it turns an email body into the plain text a person
// would read, finds personal data in that text (the Transcribe PII entity
// types) and redacts it from plain text and from HTML.
//
// Nothing here does I/O or keeps state between calls, so the analysis worker
// can call it from any goroutine and tests need no fixtures beyond strings.
package emailanalytics
