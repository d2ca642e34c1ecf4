// Package reprice prices usage records (a CSV or JSON-lines file, one
// quote request per record) under a price list, streaming, and sums what
// they pay; Diff does the same under two rule sets and tells who pays what
// after a change. It is what `ratecard reprice` and `ratecard diff` run.
package reprice
