"""The SSRM domain: question bank, scoring, plan and advice. Pure and synchronous."""
