<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/**
 * One invoice line in the contract's terms (common.schema.json#/$defs/productRow): the unit price before discount
 * in the basis taxIncluded says, the discount per unit in that same basis, tax in percent (0 = none: Bitrix has no
 * NULL "no tax"). The gateways turn it into what crm stores and read stored rows back into it.
 */
final class ProductRow
{
    public const DISCOUNT_TYPES = ['none', 'amount', 'percent'];

    public function __construct(
        public readonly int $productId,
        public readonly string $name,
        public readonly float $price,
        public readonly float $quantity,
        public readonly string $discountType,
        public readonly float $discountRate,
        public readonly float $discountSum,
        public readonly float $taxRate,
        public readonly bool $taxIncluded,
        public readonly ?string $measureName,
        public readonly int $sort,
    ) {
        if (!in_array($discountType, self::DISCOUNT_TYPES, true)) {
            throw new \InvalidArgumentException("unknown discount type {$discountType}");
        }
    }

    /** @param array<string, mixed> $row a productRow of a payload */
    public static function fromPayload(array $row): self
    {
        return new self(
            (int)$row['productId'],
            (string)$row['name'],
            (float)$row['price'],
            (float)$row['quantity'],
            (string)$row['discountType'],
            (float)$row['discountRate'],
            (float)$row['discountSum'],
            (float)$row['taxRate'],
            (bool)$row['taxIncluded'],
            isset($row['measureName']) ? (string)$row['measureName'] : null,
            (int)$row['sort'],
        );
    }

    /**
     * A b_crm_product_row read back (smart invoices): PRICE_NETTO / PRICE_BRUTTO are the prices before discount
     * without / with tax, DISCOUNT_SUM is per unit on the tax-exclusive basis.
     * @param array<string, string|null> $r
     */
    public static function fromStoredRow(array $r): self
    {
        $taxRate = (float)($r['TAX_RATE'] ?? 0);
        $factor = 1 + $taxRate / 100;
        $included = ($r['TAX_INCLUDED'] ?? 'N') === 'Y';
        $price = (float)$r['PRICE'];
        $netto = $r['PRICE_NETTO'] !== null ? (float)$r['PRICE_NETTO'] : $price / $factor;
        $sum = (float)($r['DISCOUNT_SUM'] ?? 0);
        $type = match ((int)($r['DISCOUNT_TYPE_ID'] ?? 0)) {
            1 => 'amount',
            2 => 'percent',
            default => 'none',
        };
        return new self(
            (int)$r['PRODUCT_ID'],
            (string)($r['PRODUCT_NAME'] ?? ''),
            $included ? ($r['PRICE_BRUTTO'] !== null ? (float)$r['PRICE_BRUTTO'] : $netto * $factor) : $netto,
            (float)$r['QUANTITY'],
            $sum == 0.0 && (float)($r['DISCOUNT_RATE'] ?? 0) == 0.0 ? 'none' : $type,
            (float)($r['DISCOUNT_RATE'] ?? 0),
            $included ? $sum * $factor : $sum,
            $taxRate,
            $included,
            $r['MEASURE_NAME'] ?? null,
            (int)($r['SORT'] ?? 0),
        );
    }

    /**
     * A b_crm_invoice_basket line read back (legacy invoices): BASE_PRICE before discount and DISCOUNT_PRICE per unit,
     * both in the VAT basis VAT_INCLUDED says; VAT_RATE a fraction.
     * @param array<string, string|null> $r
     */
    public static function fromBasketRow(array $r): self
    {
        $discount = (float)($r['DISCOUNT_PRICE'] ?? 0);
        $price = $r['BASE_PRICE'] !== null ? (float)$r['BASE_PRICE'] : (float)$r['PRICE'] + $discount;
        // CCrmInvoice gives a free-text line a random PRODUCT_ID and PRODUCT_XML_ID 'CRM-…'.
        $free = str_starts_with((string)($r['PRODUCT_XML_ID'] ?? ''), 'CRM-');
        return new self(
            $free ? 0 : (int)$r['PRODUCT_ID'],
            (string)$r['NAME'],
            $price,
            (float)$r['QUANTITY'],
            $discount == 0.0 ? 'none' : 'amount',
            $price == 0.0 ? 0.0 : $discount / $price * 100,
            $discount,
            (float)($r['VAT_RATE'] ?? 0) * 100,
            ($r['VAT_INCLUDED'] ?? 'Y') === 'Y',
            $r['MEASURE_NAME'] ?? null,
            (int)($r['SORT'] ?? 0),
        );
    }

    /** Money off one unit, in the basis of the price. */
    public function discountPerUnit(): float
    {
        return match ($this->discountType) {
            'percent' => $this->price * $this->discountRate / 100,
            'amount' => $this->discountSum,
            default => 0.0,
        };
    }

    /**
     * What crm's ProductRow::normalize() stores for this line (crm/lib/productrow.php): PRICE = unit price after
     * discount with tax, PRICE_EXCLUSIVE without, PRICE_NETTO / PRICE_BRUTTO before discount, DISCOUNT_SUM per unit
     * on the exclusive basis; no discount is stored as a 0 % percentage discount.
     * @return array{PRICE: float, PRICE_EXCLUSIVE: float, PRICE_NETTO: float, PRICE_BRUTTO: float, DISCOUNT_TYPE_ID: int, DISCOUNT_RATE: float, DISCOUNT_SUM: float}
     */
    public function bitrixPrices(): array
    {
        $factor = 1 + $this->taxRate / 100;
        $netto = $this->taxIncluded ? $this->price / $factor : $this->price;
        $discount = $this->taxIncluded ? $this->discountPerUnit() / $factor : $this->discountPerUnit();
        $exclusive = $netto - $discount;
        return [
            'PRICE' => $exclusive * $factor,
            'PRICE_EXCLUSIVE' => $exclusive,
            'PRICE_NETTO' => $netto,
            'PRICE_BRUTTO' => $netto * $factor,
            'DISCOUNT_TYPE_ID' => $this->discountType === 'amount' ? 1 : 2,
            'DISCOUNT_RATE' => $this->discountType === 'amount' ? ($netto == 0.0 ? 0.0 : $discount / $netto * 100) : ($this->discountType === 'percent' ? $this->discountRate : 0.0),
            'DISCOUNT_SUM' => $discount,
        ];
    }

    /**
     * Whether two lines mean the same to an accountant: product, name, price, quantity, discount per unit, tax and its
     * basis, order — to the cent (crm 23.x stores prices with 2 decimals). How a discount was expressed (percent or
     * amount) and the measure (crm replaces it with its own symbol) do not count.
     */
    public function sameAs(self $other): bool
    {
        return $this->key() === $other->key();
    }

    private function key(): string
    {
        return implode('|', [
            $this->productId,
            $this->name,
            number_format($this->price, 2, '.', ''),
            number_format($this->quantity, 4, '.', ''),
            number_format($this->discountPerUnit(), 2, '.', ''),
            number_format($this->taxRate, 2, '.', ''),
            $this->taxIncluded ? 'Y' : 'N',
            $this->sort,
        ]);
    }

    /** @param list<self> $a @param list<self> $b */
    public static function sameRows(array $a, array $b): bool
    {
        if (count($a) !== count($b)) {
            return false;
        }
        foreach (array_values($a) as $i => $row) {
            if (!$row->sameAs(array_values($b)[$i])) {
                return false;
            }
        }
        return true;
    }
}
