// Package piieval measures the PII detector of package emailanalytics on a
// labelled corpus of synthetic emails, and times the analysis of a large
// HTML email. The connectlocal-pii-bench command and the package's corpus
// test share it, so both report the same figures.
//
// # Matching rule
//
// Labels name an entity by type and text. Every word-bounded occurrence of a
// label's text in the email's plain text is an expected entity (whitespace
// in the label matches any run of whitespace and quote markers, so a label
// can name a multi-line address); occurrences inside a longer expected
// entity are dropped. A detection is a true positive when it overlaps an
// expected entity of the same type; an expected entity is recalled when a
// detection of the same type overlaps it. Precision is true-positive
// detections over all detections, recall is recalled entities over expected
// ones. "Exact" counts expected entities matched with the same span.
package piieval
