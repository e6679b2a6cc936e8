package followup

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Review is what the weekly digest adds for a manager's weekly review: how deals closed by
// tier, why deals were lost, what customers kept asking for, and where complaints stand.
// Its period is its digest's.
type Review struct {
	Tiers      []TierConversion // S, A, B, C, as in Funnel
	Reasons    []ReasonCount    // as in Funnel
	Requests   []TermCount      // FrequentTerms of the period's follow-ups
	Complaints ComplaintCounts

	// Cycle time, as in Funnel: customers won in the period and their days from first
	// contact to won, added up.
	WonCustomers int
	CycleDays    int
}

// AverageCycleDays is the mean number of days from first contact to won; ok is false when
// no customer was won in the period.
func (r Review) AverageCycleDays() (days float64, ok bool) {
	return Funnel{WonCustomers: r.WonCustomers, CycleDays: r.CycleDays}.AverageCycleDays()
}

// ComplaintCounts is where the complaints about a scope's customers stand: how many came in
// and were resolved during the period, and how many are open or in progress at its end.
type ComplaintCounts struct {
	Received   int
	Open       int
	InProgress int
	Resolved   int
}

// How much of the period's text FrequentTerms reads and lists.
const (
	ReviewTermsShown    = 10   // terms listed in a review
	ReviewTermsMinCount = 2    // a term said in one follow-up only is no pattern
	ReviewTextsRead     = 5000 // follow-ups read, the latest first: a week's worth for a large team
)

// TermCount is a word or phrase and the number of texts it occurs in.
type TermCount struct {
	Term  string
	Count int
}

// The longest phrases FrequentTerms counts: three English words, four Chinese characters.
const (
	maxEnglishGram = 3
	maxChineseGram = 4
)

// FrequentTerms finds the words and phrases that recur across texts (the feedback and
// summaries of a period's follow-ups), as what customers keep asking about.
//
// English is cut into words, in lower case, without possessives, and a plural "s" folded
// ("discounts" counts as "discount"); stop words and numbers are dropped, and runs of up
// to three kept words also count as phrases ("free trial"). Chinese has no spaces: every
// run of two to four Han characters counts, unless it contains a function character (的,
// 了, 太...) or a word every follow-up has (客户, 沟通...), which leaves the content words
// (价格, 定制方案) and drops the seams between them. A term counts once per text, so one
// long note cannot outweigh the team.
//
// Terms found in fewer than minCount texts are left out, and so is a term whose every
// occurrence is inside a longer listed one with the same count ("定制" inside "定制方案"),
// so a phrase is not listed again in pieces. The rest come most frequent first, then longer
// first, then in byte order, and at most limit of them: the same texts give the same terms.
func FrequentTerms(texts []string, minCount, limit int) []TermCount {
	counts := map[string]int{}
	for _, text := range texts {
		seen := map[string]bool{}
		for _, term := range textTerms(text) {
			if !seen[term] {
				seen[term] = true
				counts[term]++
			}
		}
	}
	var cand []TermCount
	for term, n := range counts {
		if n >= max(minCount, 1) {
			cand = append(cand, TermCount{Term: term, Count: n})
		}
	}
	slices.SortFunc(cand, func(a, b TermCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(termLen(b.Term), termLen(a.Term)), strings.Compare(a.Term, b.Term))
	})
	var out []TermCount
	for i, c := range cand {
		if len(out) == limit {
			break
		}
		// Longer terms with the same count sort before c, so the phrases that could
		// contain it are cand[:i] with c's count.
		subsumed := false
		for _, longer := range cand[:i] {
			if longer.Count == c.Count && termContains(longer.Term, c.Term) {
				subsumed = true
				break
			}
		}
		if !subsumed {
			out = append(out, c)
		}
	}
	return out
}

// termLen is a term's length in words (English) or characters (Chinese).
func termLen(term string) int {
	if r, _ := utf8.DecodeRuneInString(term); unicode.Is(unicode.Han, r) {
		return utf8.RuneCountInString(term)
	}
	return strings.Count(term, " ") + 1
}

// termContains reports whether term inner is part of term outer: a run of its words, or of
// its characters.
func termContains(outer, inner string) bool {
	if r, _ := utf8.DecodeRuneInString(inner); unicode.Is(unicode.Han, r) {
		return strings.Contains(outer, inner)
	}
	return strings.Contains(" "+outer+" ", " "+inner+" ")
}

// textTerms lists the terms of one text, with repeats.
func textTerms(text string) []string {
	var terms, words []string
	var han []rune
	flushWords := func() {
		for i := range words {
			for n := 1; n <= maxEnglishGram && i+n <= len(words); n++ {
				terms = append(terms, strings.Join(words[i:i+n], " "))
			}
		}
		words = words[:0]
	}
	flushHan := func() {
		for i := range han {
			for n := 2; n <= maxChineseGram && i+n <= len(han); n++ {
				if g := string(han[i : i+n]); !chineseStopGram(g) {
					terms = append(terms, g)
				}
			}
		}
		han = han[:0]
	}
	for _, tok := range tokens(text) {
		switch {
		case tok.han:
			flushWords()
			han = append(han, []rune(tok.text)...)
		case tok.space:
			flushHan()
		case tok.text == "":
			flushWords()
			flushHan()
		default:
			flushHan()
			if w, ok := englishTerm(tok.text); ok {
				words = append(words, w)
			} else {
				flushWords() // a stop word ends a phrase
			}
		}
	}
	flushWords()
	flushHan()
	return terms
}

// token is a Latin word, one Han character, a space (which ends a Chinese phrase but not an
// English one), or (text "") a break between phrases.
type token struct {
	text  string
	han   bool
	space bool
}

// tokens splits text into Latin words (letters, digits, apostrophes and inner hyphens),
// single Han characters, spaces and breaks (punctuation, other scripts).
func tokens(text string) []token {
	var out []token
	var word strings.Builder
	endWord := func() {
		if word.Len() > 0 {
			out = append(out, token{text: word.String()})
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case r == utf8.RuneError, r == '\n': // a new line is a new phrase
			endWord()
			out = append(out, token{})
		case unicode.Is(unicode.Han, r):
			endWord()
			out = append(out, token{text: string(r), han: true})
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (r == '\'' || r == '’' || r == '-') && word.Len() > 0:
			word.WriteRune(unicode.ToLower(r))
		case unicode.IsSpace(r):
			endWord()
			out = append(out, token{space: true})
		default:
			endWord()
			out = append(out, token{})
		}
	}
	endWord()
	return out
}

// englishTerm folds a word for counting; ok is false for stop words, numbers and single
// letters.
func englishTerm(w string) (string, bool) {
	w = strings.Trim(w, "'’-")
	for _, s := range []string{"'s", "’s"} {
		w = strings.TrimSuffix(w, s)
	}
	w = apostrophes.Replace(w)
	if utf8.RuneCountInString(w) < 2 || englishStopWords[w] || strings.IndexFunc(w, unicode.IsLetter) < 0 {
		return "", false
	}
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		w = strings.TrimSuffix(w, "s")
		if strings.HasSuffix(w, "ie") && len(w) > 3 {
			w = strings.TrimSuffix(w, "ie") + "y" // companies → company
		}
	}
	if englishStopWords[w] {
		return "", false
	}
	return w, true
}

// chineseStopGram reports whether a run of Han characters is not a content term: it holds
// a function character or a word every follow-up has.
func chineseStopGram(g string) bool {
	if strings.ContainsAny(g, chineseStopChars) {
		return true
	}
	for _, w := range chineseStopWords {
		if strings.Contains(g, w) {
			return true
		}
	}
	return false
}

// chineseStopChars are particles, pronouns, auxiliaries and the characters of dates ("3天内",
// "下周一"): a run holding one is a seam between words, not a word.
const chineseStopChars = "的了是在和与及也都就要有我你他她它们这那个很太吗呢吧啊呀哦嗯说对把被给让还又再会能可不没无已将从到于为以而并或等着过之其此该每些么什怎如若但且所因即便则次上下中里前时今天日月年周号点"

// chineseStopWords are words nearly every follow-up note has, in either party's words.
var chineseStopWords = []string{
	"客户", "沟通", "跟进", "联系", "电话", "拜访", "表示", "需要", "进行", "目前", "已经", "可以", "觉得", "认为",
	"一下", "一些", "一个", "情况", "方面", "问题", "继续", "确认", "回复", "反馈", "希望", "同意", "准备", "关于",
	"王总", "李总", "张总", "刘总", "陈总", "经理", "老板", "公司",
}

// englishStopWords are function words and the words of nearly every follow-up note.
var englishStopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above after again against all also am an and any are aren as at be because been before being
below between both but by can cannot could couldn did didn do does doesn doing don down during each few
for from further had hadn has hasn have haven having he her here hers herself him himself his how i if
in into is isn it its itself just let me more most mustn my myself no nor not now of off on once only or
other our ours ourselves out over own same shan she should shouldn so some such than that the their
theirs them themselves then there these they this those through to too under until up very was wasn we
were weren what when where which while who whom why will with won wouldn would you your yours yourself
yourselves yes ok okay via per etc re get got gets getting go going went make made let lets may might must
shall one two three us
customer client call phone email mail meeting meet met visit talk talked spoke speak discuss discussed
said say tell told ask asked want wanted need needed like liked also next step today yesterday tomorrow
week month day year mr ms called calling emailed visited asking talking discussing wanting needing sending mrs team follow followed followup follow-up sent send will again back
still already really very much many lot thing think thought know knew see seen look looked let give
gave take took come came new good great well sure`) {
		m[w] = true
	}
	return m
}()
