package reprice

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLine caps one line of a usage file, CSV or JSON: a longer line is a
// bad record (skipped whole), not an unbounded allocation.
const MaxLine = 1 << 20

// errLineTooLong is the bad record of a line over MaxLine.
var errLineTooLong = fmt.Errorf("the line is longer than %d bytes (1 MiB), the most a usage record may hold", MaxLine)

// lineReader reads a usage file one line at a time, each line at most
// MaxLine bytes, and counts lines so that every record and every read error
// can say where it is.
type lineReader struct {
	r    *bufio.Reader
	n    int    // the number of the line last returned, from 1
	long []byte // a line longer than r's buffer, gathered here
}

func newLineReader(r io.Reader) *lineReader {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	return &lineReader{r: br}
}

// next returns the next line without its line end ("\n" or "\r\n"), good
// until the next call; io.EOF after the last. A line over MaxLine is read
// to its end and returned as a *BadRecord, so reading goes on after it. An
// error of the underlying reader (a gzip file cut short) names the line it
// reached.
func (l *lineReader) next() ([]byte, error) {
	l.n++
	l.long = l.long[:0]
	tooLong := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		switch {
		case tooLong:
		case err == nil && len(l.long) == 0:
			return trimLineEnd(chunk), nil // the whole line was in the buffer: no copy
		case len(l.long)+len(chunk) > MaxLine+2: // +2: the line end is not counted
			tooLong, l.long = true, l.long[:0]
		default:
			l.long = append(l.long, chunk...)
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(chunk) == 0 && len(l.long) == 0 && !tooLong:
			l.n--
			return nil, io.EOF
		case err == io.EOF: // a last line with no line end
		default:
			return nil, fmt.Errorf("line %d: %w", l.n, readError(err))
		}
		if tooLong {
			return nil, &BadRecord{Line: l.n, Err: errLineTooLong}
		}
		return trimLineEnd(l.long), nil
	}
}

// readError words an error of the underlying reader.
func readError(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("the file ends in the middle of its data (was it cut short?): %w", err)
	}
	return err
}

func trimLineEnd(line []byte) []byte {
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r"))
}
