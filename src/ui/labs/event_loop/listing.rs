//! A program listing with its lines numbered and the current line highlighted.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ListingProps {
    /// "python" or "javascript" (CSS class and test id).
    pub language: AttrValue,
    pub title: AttrValue,
    pub code: AttrValue,
    /// 1-based line of the last step, if this notation has one.
    pub current: Option<u32>,
}

/// The listing as an ordered list of lines; the current one is marked `aria-current`.
#[component]
pub fn Listing(props: &ListingProps) -> Html {
    html! {
        <figure class={classes!("listing", props.language.to_string())} data-testid={format!("listing-{}", props.language)}>
            <figcaption>{ props.title.clone() }</figcaption>
            <pre tabindex="0" aria-label={t!("event_loop.listing.label", title = props.title.clone()).to_string()}><ol>
                { for props.code.lines().enumerate().map(|(i, line)| {
                    let current = props.current == Some(i as u32 + 1);
                    html! {
                        <li class={classes!(current.then_some("current"))}
                            aria-current={current.then_some("step")}><code>{ if line.is_empty() { " " } else { line } }</code></li>
                    }
                }) }
            </ol></pre>
        </figure>
    }
}
