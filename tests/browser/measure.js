// Renders one card as Teams would (Microsoft's Adaptive Cards renderer, a Teams host config,
// Markdown in text blocks as Teams draws it) and says what a reader could not read in full.
"use strict";

const markdown = window.markdownit({ html: false, linkify: false, breaks: false });
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

// What the renderer drops or warns about (an unknown element, a bad value) is a fault too.
function parsed(payload, hostConfig) {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  const context = new AdaptiveCards.SerializationContext();
  card.parse(payload, context);
  const warnings = [];
  for (let index = 0; index < context.eventCount; index++) {
    warnings.push(context.getEventAt(index).message);
  }
  return { card, warnings };
}

function ownText(element) {
  return [...element.childNodes].some(
    (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()
  );
}

function visible(element) {
  const style = getComputedStyle(element);
  return style.display !== "none" && style.visibility !== "hidden" && element.getClientRects().length > 0;
}

function kindOf(element) {
  if (element.closest(".ac-pushButton")) return "button";
  if (element.closest(".ac-factset")) return "fact";
  if (element.closest(".ac-input-container, .ac-input, label")) return "input";
  if (element.closest(".ac-textBlock, .ac-richTextBlock")) return "text";
  return element.className || element.tagName.toLowerCase();
}

// Every piece of text that is ellipsized, clipped or sticks out beyond the card's right edge.
function cut(root) {
  const edge = root.getBoundingClientRect().right;
  const found = [];
  for (const element of root.querySelectorAll("*")) {
    if (!ownText(element) || !visible(element)) continue;
    const display = getComputedStyle(element).display;
    const clipped = display !== "inline" && element.scrollWidth > element.clientWidth;
    const beyond = [...element.getClientRects()].some((box) => box.right > edge + 0.5);
    if (clipped || beyond) {
      found.push({ kind: kindOf(element), text: element.textContent.trim() });
    }
  }
  return found;
}

// Buttons the card holds but the renderer did not show in a row (an overflow menu, or dropped).
function hiddenButtons(payload, root) {
  let drawn = 0;
  for (const button of root.querySelectorAll(".ac-pushButton")) {
    if (visible(button)) drawn++;
  }
  const count = (items) =>
    (items || []).reduce(
      (total, item) =>
        total +
        (item.type === "ActionSet" ? item.actions.length : 0) +
        count(item.items) +
        count((item.columns || []).flatMap((column) => column.items || [])),
      0
    );
  return count(payload.body) + (payload.actions || []).length - drawn;
}

window.renderCard = (payload, width, hostConfig) => {
  const host = document.getElementById("host");
  host.style.width = `${width}px`;
  host.replaceChildren();
  const { card, warnings } = parsed(payload, hostConfig);
  const root = card.render();
  if (!root) return { warnings: [...warnings, "nothing rendered"], cut: [], hidden: 0, text: "" };
  host.appendChild(root);
  return { warnings, cut: cut(root), hidden: hiddenButtons(payload, root), text: root.innerText };
};
