package storage

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"
)

// isNetError reports whether err means the server could not be reached or went away, as
// opposed to rejecting a query.
func isNetError(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) ||
		errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}
