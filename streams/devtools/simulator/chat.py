"""Honest marketplace text: names, jobs, tailored cover letters and everyday chat.

Every sentence is a template with slots (names, stacks, deliverables, dates) so
that honest text varies the way real chat does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Anna", "Ben", "Carlos", "Dana", "Elif", "Farah", "George", "Hana", "Ivan", "Julia", "Kenji",
    "Laura", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Aisha", "Bruno", "Chloe", "Dmitri", "Emeka", "Fatima",
    "Gabriel", "Ines", "Joao", "Kofi", "Lena", "Marco", "Nora", "Oleksandr", "Paula", "Raj",
)
LAST_NAMES = (
    "Smith", "Garcia", "Kowalski", "Nguyen", "Okafor", "Silva", "Muller", "Rossi", "Khan", "Ivanova",
    "Tanaka", "Brown", "Cohen", "Dubois", "Haddad", "Jensen", "Lopez", "Martin", "Novak", "Patel",
    "Reyes", "Schmidt", "Torres", "Wilson", "Yilmaz", "Adeyemi", "Bianchi", "Costa", "Petrov",
)
STACKS = (
    "React", "Django", "Laravel", "Flutter", "Node.js", "Vue", "Rails", "Next.js", "WordPress",
    "Shopify", "Swift", "Kotlin", "Go", "FastAPI", "Figma", "Webflow", "Unity", "Angular",
)
PRODUCTS = (
    "a dental clinic booking app", "our bakery's online shop", "a fitness tracking dashboard",
    "a real-estate listings site", "an internal HR portal", "a language-learning app",
    "a podcast landing page", "a B2B invoicing tool", "a pet adoption platform", "a travel blog",
    "a recipe sharing app", "an event ticketing site", "a SaaS analytics dashboard",
)
DELIVERABLES = (
    "landing page", "REST API", "admin dashboard", "checkout flow", "mobile onboarding screens",
    "data import script", "logo and brand kit", "product descriptions", "unit test suite",
    "search feature", "CSV export", "user roles and permissions", "SEO audit", "pitch deck",
)
ASSETS = ("Figma file", "logo SVGs", "API credentials for staging", "brand guidelines PDF",
          "copy document", "database dump", "screenshots of the bug", "product photos")
DEADLINES = ("by Friday", "next Tuesday", "within two weeks", "before the end of the month",
             "by the 15th", "in about ten days", "before our launch on Monday")


@dataclass(slots=True)
class Job:
    id: str
    client_id: str
    title: str
    stack: str
    product: str
    deliverable: str
    posted_ts: int
    budget: int
    trigger: str = ""  # an innocent topic with trigger words (see innocent.TOPICS)


def job_title(rng: random.Random, stack: str, product: str, deliverable: str) -> str:
    return rng.choice((
        f"{stack} developer needed for {product}",
        f"Build the {deliverable} for {product}",
        f"{deliverable.capitalize()} in {stack}",
        f"Looking for a {stack} expert: {deliverable}",
        f"Freelancer for {product} ({deliverable})",
    ))


def cover_letter(rng: random.Random, job: Job, client_first: str, me: str, years: int) -> str:
    """A tailored cover letter: it names the job's product, stack and deliverable."""
    parts = [
        rng.choice((f"Hi {client_first},", f"Hello {client_first}!", "Hello,", f"Dear {client_first},")),
        rng.choice((
            f"I read your post about {product_phrase(job)} and the {job.deliverable} you need.",
            f"Your {job.deliverable} for {job.product} caught my eye.",
            f"I'd love to help with the {job.deliverable} for {job.product}.",
        )),
        rng.choice((
            f"I have {years} years with {job.stack} and shipped a similar {job.deliverable} "
            f"for {rng.choice(PRODUCTS)} last {rng.choice(('spring', 'year', 'month', 'autumn'))}.",
            f"Most of my recent work is in {job.stack}; one project was {rng.choice(PRODUCTS)}, "
            f"where I built the {rng.choice(DELIVERABLES)}.",
            f"I've been doing {job.stack} for {years} years, mostly for small teams like yours.",
        )),
        rng.choice((
            f"For your case I would start with the {rng.choice(DELIVERABLES)} and then the {job.deliverable}.",
            f"I'd first review your current setup, then deliver the {job.deliverable} {rng.choice(DEADLINES)}.",
            f"My plan: a short call to confirm scope, a first draft {rng.choice(DEADLINES)}, then revisions.",
        )),
        rng.choice((
            f"Quick question: do you already have the {rng.choice(ASSETS)}?",
            f"Is the {job.deliverable} meant to work with an existing {job.stack} codebase?",
            "Who will be my point of contact for feedback?",
            f"How many revisions do you expect for the {job.deliverable}?",
        )),
        rng.choice(("Best regards,", "Thanks,", "Cheers,", "Kind regards,")) + f" {me}",
    ]
    return " ".join(parts)


def product_phrase(job: Job) -> str:
    return job.product.replace("our ", "your ")


def client_opening(rng: random.Random, job: Job, freelancer_first: str) -> str:
    return rng.choice((
        f"Hi {freelancer_first}, thanks for your proposal on '{job.title}'. Could you share a similar project?",
        f"Hello {freelancer_first}! Your proposal looks good. When could you start on the {job.deliverable}?",
        f"Hi {freelancer_first}, quick question about your bid: does it include revisions?",
        f"Thanks for applying, {freelancer_first}. Have you worked with {job.stack} on {job.product} before?",
    ))


def freelancer_reply(rng: random.Random, job: Job) -> str:
    return rng.choice((
        f"Sure! I did something similar in {job.stack} recently ({job.deliverable}), I can show it on a call.",
        f"I can start tomorrow and deliver the first version {rng.choice(DEADLINES)}.",
        "Yes, two rounds of revisions are included in the price.",
        f"Could you tell me a bit more about the scope? Is the {job.deliverable} the only part?",
        f"Thanks for the reply! What's your deadline for {product_phrase(job)}?",
        f"Do you have the {rng.choice(ASSETS)} ready, or should I start from scratch?",
    ))


def client_followup(rng: random.Random, job: Job) -> str:
    return rng.choice((
        f"Great. The deadline is {rng.choice(DEADLINES)}, is that realistic?",
        f"We have the {rng.choice(ASSETS)}, I'll share it once we start.",
        "Sounds good, I'll send you an offer shortly.",
        f"Only the {job.deliverable} for now, maybe more later.",
        "Let me check with my team and get back to you today.",
    ))


def active_chat(rng: random.Random, job: Job, sender_is_client: bool) -> str:
    if sender_is_client:
        return rng.choice((
            f"Here is the {rng.choice(ASSETS)}, let me know if anything is missing.",
            "Looks good so far! Can we change the colours on the header?",
            f"Any update on the {job.deliverable}?",
            "Thanks, I'll review it tonight.",
            "Small change: can you make the buttons a bit larger?",
            f"Can we move the deadline to {rng.choice(DEADLINES)}? No rush.",
            "Good morning! Did you get my notes from yesterday?",
        ))
    return rng.choice((
        f"I've pushed the first draft of the {job.deliverable}, please take a look.",
        f"Could you send me the {rng.choice(ASSETS)}?",
        "Done with the revisions, the new version is uploaded.",
        "Quick question: should the form validate on blur or on submit?",
        f"I'm about 70% done, should be ready {rng.choice(DEADLINES)}.",
        "Uploaded the files to the workroom, let me know what you think.",
        "Good morning! I'll continue with the remaining screens today.",
    ))


def closing(rng: random.Random, sender_is_client: bool) -> str:
    if sender_is_client:
        return rng.choice((
            "Thanks a lot, great work! I've ended the contract.",
            "Everything works, thank you for your patience with the changes.",
            "Perfect, closing the contract now. Hope to work with you again.",
        ))
    return rng.choice((
        "Thank you, it was a pleasure working with you!",
        "Thanks! Let me know if you need anything else in the future.",
        "Glad you like it. Good luck with the launch!",
    ))


def rating_comment(rng: random.Random, stars: int, about_client: bool) -> str:
    if stars >= 4:
        who = "client" if about_client else "freelancer"
        return rng.choice((
            f"Great {who}, clear communication and quick feedback.",
            "Very professional, would work together again.",
            "Smooth project, everything delivered as agreed." if not about_client
            else "Clear requirements and fast payment.",
            "Excellent collaboration, highly recommended.",
            "",
        ))
    return rng.choice((
        "Deadline slipped and some revisions were needed.",
        "Communication could have been better.",
        "The result was okay but not what we discussed.",
    ))
