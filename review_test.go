package followup

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFrequentTerms(t *testing.T) {
	texts := []string{
		"Customer asked for a discount and a free trial",
		"They want a free trial before the pilot; discounts too",
		"Asked about the free trial again. Delivery time is a concern",
		"对价格有疑虑，希望提供定制方案",
		"需要定制方案，价格太高",
		"客户要定制方案和售后培训",
		"delivery time matters; 售后培训 asked twice",
		"Acme's delivery time",
	}
	got := FrequentTerms(texts, 2, 10)
	want := []TermCount{
		{"定制方案", 3}, {"delivery time", 3}, {"free trial", 3}, {"售后培训", 2}, {"价格", 2}, {"discount", 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("FrequentTerms =\n%v\nwant\n%v", got, want)
	}
	if again := FrequentTerms(slices.Concat(texts[4:], texts[:4]), 2, 10); !slices.Equal(again, got) {
		t.Errorf("the order of the texts changed the result: %v", again)
	}
	t.Run("a term counts once per text", func(t *testing.T) {
		got := FrequentTerms([]string{"price price price price", "demo"}, 2, 10)
		if len(got) != 0 {
			t.Errorf("one text's repeats made %v frequent", got)
		}
	})
	t.Run("the limit keeps the most frequent", func(t *testing.T) {
		got := FrequentTerms(texts, 2, 2)
		if !slices.Equal(got, want[:2]) {
			t.Errorf("limit 2 = %v", got)
		}
	})
	t.Run("stop words, numbers and seams are no terms", func(t *testing.T) {
		got := FrequentTerms([]string{"we called them 3 times about it", "we called them 3 times about it", "的了是的了", "的了是的了"}, 2, 10)
		if !slices.Equal(got, []TermCount{{"time", 2}}) {
			t.Errorf("got %v, want only time", got)
		}
	})
}

func FuzzFrequentTerms(f *testing.F) {
	for _, s := range []string{"free trial", "定制方案，价格太高", "Acme's demo", "a\xffb", "--- '' ’s", "售后 培训"} {
		f.Add(s, s+" again")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a)+len(b) > 1024 {
			t.Skip()
		}
		got := FrequentTerms([]string{a, b, a}, 2, 10)
		if len(got) > 10 {
			t.Fatalf("%d terms, more than the limit", len(got))
		}
		for i, tc := range got {
			if tc.Count < 2 || tc.Count > 3 || tc.Term == "" || !utf8.ValidString(tc.Term) || strings.TrimSpace(tc.Term) != tc.Term {
				t.Errorf("term %q count %d: want a trimmed valid term counted 2 or 3 times", tc.Term, tc.Count)
			}
			if i > 0 && got[i-1].Count < tc.Count {
				t.Errorf("terms out of order: %v", got)
			}
		}
		if again := FrequentTerms([]string{a, b, a}, 2, 10); !slices.Equal(again, got) {
			t.Errorf("not deterministic: %v then %v", got, again)
		}
	})
}
