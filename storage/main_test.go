package storage_test

import (
	"os"
	"testing"

	"github.com/followuphq/followup/storage/storagetest"
)

func TestMain(m *testing.M) { os.Exit(storagetest.Main(m)) }
