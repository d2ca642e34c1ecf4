// Package lines reads input one bounded line at a time: a line longer
// than the bound is read to its end and reported as too long, so that the
// reading goes on after it, and no line makes memory grow without end.
package lines

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// TooLongError is the error of a line over the bound; reading goes on.
type TooLongError struct{ Max int }

func (e *TooLongError) Error() string { return fmt.Sprintf("the line is longer than %d bytes", e.Max) }

// Read returns the next line of in without its line end ("\n" or
// "\r\n"), good until the next call, or io.EOF after the last.
func Read(in *bufio.Reader, max int) ([]byte, error) {
	var long []byte
	tooLong := false
	for {
		chunk, err := in.ReadSlice('\n')
		switch {
		case tooLong:
		case err == nil && long == nil:
			return trim(chunk), nil // the whole line was in the buffer: no copy
		case len(long)+len(chunk) > max+2: // +2: the line end is not counted
			tooLong, long = true, nil
		default:
			long = append(long, chunk...)
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(chunk) == 0 && len(long) == 0 && !tooLong:
			return nil, io.EOF
		case err != io.EOF:
			return nil, err
		}
		if tooLong {
			return nil, &TooLongError{Max: max}
		}
		return trim(long), nil
	}
}

func trim(line []byte) []byte {
	return bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
}
