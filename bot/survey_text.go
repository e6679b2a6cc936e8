package bot

// surveyText holds the strings of the satisfaction survey form and what it leads to.
func surveyText() catalog {
	return catalog{
		"title_survey":           {"Satisfaction survey", "满意度调查"},
		"label_surveyed_on":      {"Date of the survey", "调查日期"},
		"label_product_quality":  {"Product quality", "产品质量"},
		"label_service_attitude": {"Service attitude", "服务态度"},
		"label_response_speed":   {"Response speed", "响应速度"},
		"label_after_sales":      {"After-sales service", "售后服务"},
		"ph_score":               {"Pick a score", "选择评分"},
		"score_5":                {"5 · Very satisfied", "5 · 非常满意"},
		"score_4":                {"4 · Satisfied", "4 · 满意"},
		"score_3":                {"3 · Neutral", "3 · 一般"},
		"score_2":                {"2 · Dissatisfied", "2 · 不满意"},
		"score_1":                {"1 · Very dissatisfied", "1 · 非常不满意"},
		"label_comment":          {"Comment", "意见或建议"},
		"ph_comment":             {"What the customer said, in their words", "客户的原话"},

		"dim_product_quality":  {"product quality", "产品质量"},
		"dim_service_attitude": {"service attitude", "服务态度"},
		"dim_response_speed":   {"response speed", "响应速度"},
		"dim_after_sales":      {"after-sales", "售后服务"},
		"score_of":             {"%s %d", "%s %d 分"},
		"list_sep":             {", ", "、"},

		"survey_callback":         {"Call back about the low satisfaction score: %s (average %.1f)", "就满意度低分回访客户：%s（平均 %.1f 分）"},
		"survey_callback_comment": {"Call back about the low satisfaction score: %s (average %.1f); they said “%s”", "就满意度低分回访客户：%s（平均 %.1f 分）；客户原话“%s”"},
		"survey_saved":            {":white_check_mark: Saved the satisfaction survey of *%s* (%s): average %.1f (%s).", ":white_check_mark: 已保存 *%s*（%s）的满意度调查：平均 %.1f 分（%s）。"},
		"survey_callback_set":     {":telephone_receiver: That is a low score: <@%s> has a next step, *%s*, due %s.", ":telephone_receiver: 评分偏低：已为 <@%s> 添加下一步 *%s*，截止 %s。"},
		"survey_low_owner": {
			":warning: <@%s> recorded a low satisfaction score for *%s* (%s): %s (average %.1f).\nYour next step: *%s*, due %s.",
			":warning: <@%s> 登记了 *%s*（%s）的满意度低分：%s（平均 %.1f 分）。\n你的下一步：*%s*，截止 %s。",
		},

		"card_surveys":     {"Satisfaction surveys", "满意度调查"},
		"card_survey_line": {"• %s · average %.1f · %s", "• %s · 平均 %.1f 分 · %s"},

		"Pick a score from 1 to 5.":                  {"", "请选择1到5分。"},
		"A survey cannot be answered in the future.": {"", "调查日期不能晚于今天。"},
	}
}
